"""What an input check says about a refused value, in English and Simplified Chinese
(merged into :data:`roasloop.i18n.CATALOG`).

``check_<type>`` keys follow the validator's error types (``less_than_equal`` …) and take
its context (``le`` …); the other keys are the messages of roasloop's own checks, raised as
``ValueError(key)`` so every language gets its own sentence.
"""

from __future__ import annotations

CHECKS_CATALOG: dict[str, dict[str, str]] = {
    "check_invalid": {"en": "is not a valid value", "zh-CN": "取值无效"},
    "check_missing": {"en": "is required", "zh-CN": "为必填项"},
    "check_string_type": {"en": "must be text", "zh-CN": "必须是文本"},
    "check_string_too_short": {
        "en": "must have at least {min_length} character(s)",
        "zh-CN": "至少需要 {min_length} 个字符",
    },
    "check_string_too_long": {
        "en": "must have at most {max_length} characters",
        "zh-CN": "最多 {max_length} 个字符",
    },
    "check_string_pattern_mismatch": {"en": "has the wrong format", "zh-CN": "格式不正确"},
    "check_int_type": {"en": "must be a whole number", "zh-CN": "必须是整数"},
    "check_int_parsing": {"en": "must be a whole number", "zh-CN": "必须是整数"},
    "check_int_from_float": {"en": "must be a whole number", "zh-CN": "必须是整数"},
    "check_float_type": {"en": "must be a number", "zh-CN": "必须是数字"},
    "check_float_parsing": {"en": "must be a number", "zh-CN": "必须是数字"},
    "check_decimal_type": {"en": "must be a number", "zh-CN": "必须是数字"},
    "check_decimal_parsing": {"en": "must be a number", "zh-CN": "必须是数字"},
    "check_finite_number": {"en": "must be a finite number", "zh-CN": "必须是有限的数值"},
    "check_greater_than": {"en": "must be greater than {gt}", "zh-CN": "必须大于 {gt}"},
    "check_greater_than_equal": {"en": "must be at least {ge}", "zh-CN": "不能小于 {ge}"},
    "check_less_than": {"en": "must be less than {lt}", "zh-CN": "必须小于 {lt}"},
    "check_less_than_equal": {"en": "must be at most {le}", "zh-CN": "不能大于 {le}"},
    "check_too_short": {
        "en": "needs at least {min_length} item(s)",
        "zh-CN": "至少需要 {min_length} 项",
    },
    "check_too_long": {"en": "takes at most {max_length} item(s)", "zh-CN": "最多 {max_length} 项"},
    "check_literal_error": {
        "en": "must be one of {expected}",
        "zh-CN": "必须是以下之一：{expected}",
    },
    "check_enum": {"en": "must be one of {expected}", "zh-CN": "必须是以下之一：{expected}"},
    "check_bool_type": {"en": "must be true or false", "zh-CN": "必须是 true 或 false"},
    "check_bool_parsing": {"en": "must be true or false", "zh-CN": "必须是 true 或 false"},
    "check_dict_type": {"en": "must be an object", "zh-CN": "必须是对象"},
    "check_model_type": {"en": "must be an object", "zh-CN": "必须是对象"},
    "check_model_attributes_type": {"en": "must be an object", "zh-CN": "必须是对象"},
    "check_list_type": {"en": "must be a list", "zh-CN": "必须是列表"},
    "check_tuple_type": {"en": "must be a list", "zh-CN": "必须是列表"},
    "check_extra_forbidden": {"en": "is not a known field", "zh-CN": "不是可识别的字段"},
    # roasloop's own checks (ValueError(key))
    "check_positive": {"en": "must be greater than 0", "zh-CN": "必须大于 0"},
    "check_unique_ids": {"en": "each id may appear only once", "zh-CN": "每个 ID 只能出现一次"},
    "check_printable": {
        "en": "must not contain control characters",
        "zh-CN": "不能包含控制字符",
    },
    "check_not_an_amount": {"en": "must be an amount of money", "zh-CN": "必须是金额"},
    "check_amount_finite": {"en": "must be a finite amount", "zh-CN": "必须是有限的金额"},
    "check_amount_negative": {"en": "must not be negative", "zh-CN": "不能为负数"},
    "check_amount_too_large": {
        "en": "must be at most 1,000,000,000",
        "zh-CN": "不能超过 1,000,000,000",
    },
    "check_age_range": {
        "en": "must be an age range within 13-100, the lower age first",
        "zh-CN": "年龄范围须在 13-100 之间，且下限小于上限",
    },
    "check_age_overlap": {
        "en": "overlaps {other} ({range}): one person belongs to one ad set",
        "zh-CN": "与 {other}（{range}）重叠：每个人只能属于一个广告组",
    },
    "check_listed_twice": {"en": "{value} is listed twice", "zh-CN": "{value} 重复出现"},
    "check_sandbox_only": {
        "en": "time can be moved only in sandbox mode",
        "zh-CN": "只有沙盒模式可以调整时间",
    },
    "check_media_outside": {
        "en": "local media must be a file inside the media folder",
        "zh-CN": "本地素材必须是素材文件夹内的文件",
    },
    "check_media_missing": {
        "en": "no such media file in the media folder",
        "zh-CN": "素材文件夹中没有该文件",
    },
    "check_media_unreadable": {"en": "the media file cannot be read", "zh-CN": "素材文件无法读取"},
    "check_media_type": {
        "en": "media must be an MP4 or MOV video, or a JPEG or PNG image",
        "zh-CN": "素材必须是 MP4 或 MOV 视频，或 JPEG、PNG 图片",
    },
    "check_media_size": {
        "en": "the media file is larger than {mb} MB",
        "zh-CN": "素材文件超过 {mb} MB",
    },
    "check_media_url_host": {
        "en": "the media URL's host cannot be found",
        "zh-CN": "素材 URL 的主机无法解析",
    },
    "check_media_url_public": {
        "en": "the media URL must point at a public host",
        "zh-CN": "素材 URL 必须指向公网主机",
    },
    "check_media_file_needed": {
        "en": "this platform needs a media file, not a URL",
        "zh-CN": "该平台需要素材文件，而不是 URL",
    },
    "check_ads_per_adset": {
        "en": "at most {limit} creatives per ad set",
        "zh-CN": "每个广告组最多 {limit} 个素材",
    },
    "check_countries_per_adset": {
        "en": "at most {limit} countries on this platform",
        "zh-CN": "该平台最多 {limit} 个国家",
    },
    "check_name_too_long": {
        "en": "makes a name longer than the platform's {max_length} characters",
        "zh-CN": "生成的名称超过平台上限 {max_length} 个字符",
    },
    "check_budget_split": {
        "en": (
            "{budget} split over {parts} ad sets gives {share} each, below the platform "
            "minimum of {minimum} per ad set"
        ),
        "zh-CN": "{budget} 分到 {parts} 个广告组，每组 {share}，低于平台每组最低 {minimum}",
    },
    "check_number_given": {
        "en": "must be a number (leave the key out to keep the default)",
        "zh-CN": "必须是数字（不填则使用默认值）",
    },
}
