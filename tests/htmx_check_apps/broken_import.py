from fasthtml.common import *
from nowhere_such_module import helper  # noqa: F401
