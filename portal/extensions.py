"""Flask extensions, created here and wired to the app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
#: Limits that fail closed (victim sign-in codes): when the counter store is down, the
#: request is refused with a calm 503 page, so no code is sent or checked unlimited.
limiter = Limiter(key_func=get_remote_address, default_limits=[], swallow_errors=False)
#: Limits that fail open (public pages): when the counter store is down, the rights
#: pages still answer; being unlimited for a while is safer than being unreachable.
public_limiter = Limiter(
    key_func=get_remote_address, default_limits=[], swallow_errors=True, headers_enabled=False
)
