from fasthtml.common import *
raise RuntimeError('the database is not configured')
