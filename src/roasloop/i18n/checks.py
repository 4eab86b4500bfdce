"""What an input check says about a refused value (merged into :data:`roasloop.i18n.MESSAGES`).

``check_<type>`` keys follow the validator's error types (``less_than_equal`` …) and take
its context (``le`` …); the other keys are the messages of roasloop's own checks, raised as
``ValueError(key)`` so every language gets its own sentence. Translations live in the gettext
catalogs (:mod:`roasloop.translations`).
"""

from __future__ import annotations

from roasloop.translations import N_

CHECKS_MESSAGES: dict[str, str] = {
    "check_invalid": N_("is not a valid value"),
    "check_missing": N_("is required"),
    "check_string_type": N_("must be text"),
    "check_string_too_short": N_("must have at least {min_length} character(s)"),
    "check_string_too_long": N_("must have at most {max_length} characters"),
    "check_string_pattern_mismatch": N_("has the wrong format"),
    "check_int_type": N_("must be a whole number"),
    "check_int_parsing": N_("must be a whole number"),
    "check_int_from_float": N_("must be a whole number"),
    "check_float_type": N_("must be a number"),
    "check_float_parsing": N_("must be a number"),
    "check_decimal_type": N_("must be a number"),
    "check_decimal_parsing": N_("must be a number"),
    "check_finite_number": N_("must be a finite number"),
    "check_greater_than": N_("must be greater than {gt}"),
    "check_greater_than_equal": N_("must be at least {ge}"),
    "check_less_than": N_("must be less than {lt}"),
    "check_less_than_equal": N_("must be at most {le}"),
    "check_too_short": N_("needs at least {min_length} item(s)"),
    "check_too_long": N_("takes at most {max_length} item(s)"),
    "check_literal_error": N_("must be one of {expected}"),
    "check_enum": N_("must be one of {expected}"),
    "check_bool_type": N_("must be true or false"),
    "check_bool_parsing": N_("must be true or false"),
    "check_dict_type": N_("must be an object"),
    "check_model_type": N_("must be an object"),
    "check_model_attributes_type": N_("must be an object"),
    "check_list_type": N_("must be a list"),
    "check_tuple_type": N_("must be a list"),
    "check_extra_forbidden": N_("is not a known field"),
    # roasloop's own checks (ValueError(key))
    "check_positive": N_("must be greater than 0"),
    "check_unique_ids": N_("each id may appear only once"),
    "check_printable": N_("must not contain control characters"),
    "check_not_an_amount": N_("must be an amount of money"),
    "check_amount_finite": N_("must be a finite amount"),
    "check_amount_negative": N_("must not be negative"),
    "check_amount_too_large": N_("must be at most 1,000,000,000"),
    "check_age_range": N_("must be an age range within 13-100, the lower age first"),
    "check_age_overlap": N_("overlaps {other} ({range}): one person belongs to one ad set"),
    "check_listed_twice": N_("{value} is listed twice"),
    "check_sandbox_only": N_("time can be moved only in sandbox mode"),
    "check_media_outside": N_("local media must be a file inside the media folder"),
    "check_media_missing": N_("no such media file in the media folder"),
    "check_media_unreadable": N_("the media file cannot be read"),
    "check_media_type": N_("media must be an MP4 or MOV video, or a JPEG or PNG image"),
    "check_media_size": N_("the media file is larger than {mb} MB"),
    "check_media_url_host": N_("the media URL's host cannot be found"),
    "check_media_url_public": N_("the media URL must point at a public host"),
    "check_media_file_needed": N_("this platform needs a media file, not a URL"),
    "check_ads_per_adset": N_("at most {limit} creatives per ad set"),
    "check_countries_per_adset": N_("at most {limit} countries on this platform"),
    "check_name_too_long": N_("makes a name longer than the platform's {max_length} characters"),
    "check_budget_split": N_(
        "{budget} split over {parts} ad sets gives {share} each, below the platform minimum of "
        "{minimum} per ad set"
    ),
    "check_number_given": N_("must be a number (leave the key out to keep the default)"),
}
