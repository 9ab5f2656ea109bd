"""Response schemas of the open public API (/api/v1/public/).

The field names are a published contract: English snake_case, stable across releases (a test pins
them); the Chinese meaning of each field is in its description and shows in the OpenAPI document.
Adding a field is compatible; renaming or removing one is not.
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(..., description="错误说明（中文）")
    errors: list[str] = Field([], description="逐项错误（如参数校验）")
    retry_after: int | None = Field(None, description="请求过于频繁时：距可再次请求的秒数")


class OrgOut(Schema):
    slug: str = Field(..., description="机构网址标识")
    name: str = Field(..., description="机构名称")
    short_name: str = Field(..., description="简称")
    kind: str = Field(..., description="类型代码：city 市、county 县、district 区、department 部门、township 乡镇、street 街道")
    kind_label: str = Field(..., description="类型名称")
    parent: str | None = Field(None, description="上级机构的网址标识")
    code: str = Field(..., description="统一社会信用代码（或9位组织机构代码），即索引号前缀")
    url: str = Field(..., description="门户网站上的公开目录地址")


class OrgDetail(OrgOut):
    address: str = Field(..., description="办公地址")
    phone: str = Field(..., description="联系电话")
    office_hours: str = Field(..., description="办公时间")
    public_documents: int = Field(..., description="已主动公开（现行有效展示）的信息条数")


class OrgList(Schema):
    total: int = Field(..., description="符合条件的机构数")
    items: list[OrgOut]


class ColumnOut(Schema):
    slug: str = Field(..., description="栏目网址标识（机构内唯一）")
    name: str = Field(..., description="栏目名称")
    update_class: str = Field(..., description="更新类别代码：news 动态/要闻、notice 通知公告/政策文件、long 长期、static 静态")
    update_class_label: str = Field(..., description="更新类别名称")
    public_count: int = Field(..., description="本栏目（不含下级栏目）已公开信息条数")
    total_count: int = Field(..., description="本栏目及其下级栏目已公开信息条数")
    url: str = Field(..., description="门户网站上的栏目地址")
    children: list["ColumnOut"] = Field([], description="下级栏目")


class ColumnTree(Schema):
    org: str = Field(..., description="机构网址标识")
    items: list[ColumnOut]


class Match(Schema):
    score: float = Field(..., description="相关度得分（越大越相关）")
    title_html: str = Field(..., description="标题，命中词以 <mark> 标出，其余已做 HTML 转义")
    snippet_html: str = Field(..., description="正文摘要，命中词以 <mark> 标出，其余已做 HTML 转义")


class DocumentSummary(Schema):
    id: UUID = Field(..., description="公开编号（稳定，不随版本变化）")
    index_number: str = Field(..., description="索引号")
    title: str = Field(..., description="标题")
    org: str = Field(..., description="发布机构的网址标识")
    org_name: str = Field(..., description="发布机构")
    column: str = Field(..., description="栏目网址标识")
    column_name: str = Field(..., description="栏目名称")
    doc_number: str = Field(..., description="发文字号")
    written_date: date | None = Field(None, description="成文日期")
    published_date: date | None = Field(None, description="发布日期")
    updated_at: datetime | None = Field(None, description="最近发布（更新）时间")
    topic: str = Field(..., description="主题分类代码（国务院公文主题分类 01–22）")
    topic_label: str = Field(..., description="主题分类")
    genre: str = Field(..., description="体裁代码")
    genre_label: str = Field(..., description="体裁")
    validity: str = Field(..., description="有效性代码：valid 有效、expired 失效、abolished 废止")
    validity_label: str = Field(..., description="有效性")
    url: str = Field(..., description="门户网站上的规范地址（canonical）")
    match: Match | None = Field(None, description="全文检索时的命中信息；未检索时为 null")


class FacetValue(Schema):
    value: str = Field(..., description="筛选值")
    label: str = Field(..., description="名称")
    count: int = Field(..., description="检索结果中的条数")


class DocumentPage(Schema):
    total: int | None = Field(..., description="符合条件的信息总数（按游标翻页时为 null：首页已给出）")
    page: int | None = Field(None, description="当前页码（按游标翻页时为 null）")
    pages: int | None = Field(None, description="总页数（按游标翻页时为 null）")
    per_page: int = Field(..., description="每页条数")
    next_cursor: str | None = Field(None, description="下一页的游标；没有下一页时为 null（全文检索不提供游标）")
    items: list[DocumentSummary]
    facets: dict[str, list[FacetValue]] | None = Field(
        None, description="全文检索时各维度（org 机构、topic 主题、genre 体裁、year 年份、validity 有效性）的分面计数")
    total_estimated: bool = Field(
        False, description="total 是否为估算值：全文检索命中上万条时按索引抽样（1/64）估算并取两位有效数字，否则为精确计数")
    estimated_facets: list[str] = Field(
        default_factory=list, description="计数为估算值的分面维度（同上）；未列出的维度为精确计数")


class AttachmentOut(Schema):
    id: UUID = Field(..., description="附件编号")
    name: str = Field(..., description="文件名")
    content_type: str = Field(..., description="MIME 类型")
    type_label: str = Field(..., description="类型名称")
    size: int = Field(..., description="大小（字节）")
    size_label: str = Field(..., description="大小（便于阅读）")
    sha256: str = Field(..., description="SHA-256 校验值")
    url: str = Field(..., description="下载地址")


class DocumentRef(Schema):
    id: UUID = Field(..., description="公开编号")
    index_number: str = Field(..., description="索引号")
    title: str = Field(..., description="标题")
    url: str = Field(..., description="门户网站上的规范地址")
    interpretation_form: str = Field("", description="解读形式代码（仅政策解读）")
    interpretation_form_label: str = Field("", description="解读形式（仅政策解读）")


class DocumentDetail(DocumentSummary):
    keywords: str = Field(..., description="主题词")
    validity_date: date | None = Field(None, description="失效/废止日期")
    abolished_by: str = Field(..., description="废止依据文件")
    edition: int = Field(..., description="现行版本号")
    change_kind: str = Field(..., description="最近修改类型：minor 小修改、major 实质修改；首版为空")
    change_note: str = Field(..., description="修改说明")
    first_published_at: datetime | None = Field(None, description="首次发布时间")
    body_html: str = Field(..., description="正文（经过清洗的 HTML）")
    interpretation_of: DocumentRef | None = Field(None, description="本件为政策解读时：所解读的政策文件")
    interpretations: list[DocumentRef] = Field([], description="解读本件的政策解读")
    attachments: list[AttachmentOut] = Field([], description="附件")
