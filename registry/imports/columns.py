"""The item spreadsheet's columns: Chinese headers, field names, allowed values and help text."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from registry.items.models import ApplicantType, ApprovalLevel, InstrumentType, IssuerLevel, ItemCategory

#: Chinese labels of the enum values the spreadsheet accepts (the code values are accepted too)
LABELS: dict[type[enum.Enum], dict[enum.Enum, str]] = {
    ItemCategory: {
        ItemCategory.safety_health: "安全健康",
        ItemCategory.public_resources: "公共资源",
        ItemCategory.qualification: "资格资质",
        ItemCategory.inspection: "检验检测",
        ItemCategory.establishment: "企业组织设立",
        ItemCategory.statutory_other: "法定其他",
    },
    ApprovalLevel: {
        ApprovalLevel.state: "国家",
        ApprovalLevel.province: "省",
        ApprovalLevel.city: "市",
        ApprovalLevel.district: "区",
        ApprovalLevel.township: "乡镇",
    },
    ApplicantType: {
        ApplicantType.citizen: "公民",
        ApplicantType.organisation: "法人或其他组织",
        ApplicantType.both: "公民、法人或其他组织",
    },
    InstrumentType: {
        InstrumentType.law: "法律",
        InstrumentType.administrative_regulation: "行政法规",
        InstrumentType.state_council_decision: "国务院决定",
        InstrumentType.local_regulation: "地方性法规",
        InstrumentType.provincial_rule: "省级政府规章",
        InstrumentType.ministry_rule: "部门规章",
        InstrumentType.city_rule: "市政府规章",
        InstrumentType.normative_document: "规范性文件",
        InstrumentType.none: "无",
    },
    IssuerLevel: {
        IssuerLevel.national: "国家",
        IssuerLevel.provincial: "省",
        IssuerLevel.city: "市",
        IssuerLevel.district: "区",
    },
}

#: extra spellings accepted for enum values (Traditional Chinese and common synonyms)
ALIASES: dict[type[enum.Enum], dict[str, enum.Enum]] = {
    ApprovalLevel: {"省级": ApprovalLevel.province, "市级": ApprovalLevel.city, "区级": ApprovalLevel.district,
                    "国家级": ApprovalLevel.state, "鄉鎮": ApprovalLevel.township, "縣區": ApprovalLevel.district},
    IssuerLevel: {"省级": IssuerLevel.provincial, "市级": IssuerLevel.city, "区级": IssuerLevel.district,
                  "国家级": IssuerLevel.national, "本级": IssuerLevel.district},
    ApplicantType: {"法人": ApplicantType.organisation, "组织": ApplicantType.organisation,
                    "公民、法人": ApplicantType.both, "均可": ApplicantType.both},
    InstrumentType: {"法規": InstrumentType.administrative_regulation, "国务院的决定": InstrumentType.state_council_decision,
                     "省政府规章": InstrumentType.provincial_rule, "省规章": InstrumentType.provincial_rule,
                     "部委规章": InstrumentType.ministry_rule, "市规章": InstrumentType.city_rule,
                     "其他规范性文件": InstrumentType.normative_document},
}

TRUE_WORDS = {"是", "有", "收费", "true", "yes", "y", "1"}
FALSE_WORDS = {"否", "无", "不收费", "false", "no", "n", "0"}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    #: ``text``, ``int``, ``bool``, ``date``, ``department``, ``code`` or an enum class
    type: object = "text"
    required: bool = False
    max_length: int | None = None
    help: str = ""
    #: headers also accepted for this column (older templates, obvious variants)
    aliases: tuple[str, ...] = field(default_factory=tuple)


COLUMNS: tuple[Column, ...] = (
    Column("事项编码", "code", "code", True, 40, "唯一，不可重复使用；已存在的编码将更新该事项", ("编码",)),
    Column("事项名称", "name", "text", True, 200, "行政许可事项名称", ("名称",)),
    Column("上级事项编码", "parent_code", "code", False, 40, "子项填写所属事项的编码；主项留空"),
    Column("主管部门", "competent_department", "department", True, None, "部门编码或全称（须已在系统中登记）"),
    Column("实施机关", "implementing_department", "department", True, None, "部门编码或全称（须已在系统中登记）"),
    Column("许可类别", "category", ItemCategory, True, None, "《行政许可法》第十二条所列事项类别"),
    Column("审批层级", "approval_level", ApprovalLevel, True),
    Column("申请人类型", "applicant_type", ApplicantType, True),
    Column("许可条件", "conditions", "text", False, 20000),
    Column("申请材料", "materials", "text", False, 20000),
    Column("审批程序", "procedure", "text", False, 20000),
    Column("法定办结时限（工作日）", "statutory_days", "int", True, None, "正整数；《行政许可法》第四十二条一般为 20 个工作日",
           ("法定办结时限",)),
    Column("承诺办结时限（工作日）", "committed_days", "int", False, None, "正整数，不得超过法定办结时限；可留空",
           ("承诺办结时限",)),
    Column("是否收费", "fee_charged", "bool", False, None, "是 / 否（留空视为否）"),
    Column("收费标准", "fee_rate", "text", False, 200),
    Column("收费依据", "fee_basis", "text", False, 300, "收费须有法律、行政法规依据（第五十八条）"),
    Column("审批结果名称", "licence_document", "text", False, 200),
    Column("有效期限", "validity", "text", False, 100),
    Column("备注", "notes", "text", False, 20000),
    Column("设定依据类型", "basis_instrument_type", InstrumentType, True),
    Column("设定依据发布层级", "basis_issuer_level", IssuerLevel, False, None, "设定依据类型为“无”时留空，否则必填"),
    Column("设定依据名称", "basis_title", "text", False, 300),
    Column("设定依据发布机关", "basis_issuer", "text", False, 200),
    Column("设定依据文号", "basis_document_number", "text", False, 100),
    Column("设定依据条款", "basis_article", "text", False, 200),
    Column("设定依据施行日期", "basis_effective_date", "date", False, None, "日期，如 2004-07-01 或 2004年7月1日",
           ("设定依据生效日期",)),
)

BY_FIELD = {c.field: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]


def allowed_values(col: Column) -> str:
    """The allowed values of a column as the template's help sheet lists them."""
    if isinstance(col.type, type) and issubclass(col.type, enum.Enum):
        return "；".join(f"{label}（{member.value}）" for member, label in LABELS[col.type].items())
    return {"int": "正整数", "bool": "是 / 否", "date": "日期", "department": "部门编码或名称",
            "code": "字母、数字、短横线"}.get(col.type, "文本")


def enum_lookup(enum_cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    """Every accepted spelling (Chinese label, code, alias; case-insensitive) → member."""
    out: dict[str, enum.Enum] = {}
    for member, label in LABELS[enum_cls].items():
        out[label] = member
        out[member.value.lower()] = member
    for spelling, member in ALIASES.get(enum_cls, {}).items():
        out.setdefault(spelling, member)
    return out


def label(member: enum.Enum | None) -> str:
    return "" if member is None else LABELS[type(member)][member]
