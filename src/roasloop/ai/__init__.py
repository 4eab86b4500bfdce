"""Copywriting: offline templates by default, Gemini/OpenAI when keys are configured."""
