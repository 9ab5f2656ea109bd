from ninja import NinjaAPI

from .disclosure_public import router as disclosure_public_router
from .disclosure_staff import router as disclosure_staff_router
from .errors import install_error_handlers
from .public import router as public_router
from .staff import router as staff_router

api = NinjaAPI(
    title="阳光政务开放接口",
    version="1.0",
    description="政务公开平台接口。工作人员接口使用登录会话，并只返回本机构（政务公开办：本地区）的数据。",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/staff/", staff_router)
api.add_router("/staff/disclosure/", disclosure_staff_router)
api.add_router("/disclosure/", disclosure_public_router)
api.add_router("/public/", public_router)
install_error_handlers(api)  # Chinese 422 bodies on every router
