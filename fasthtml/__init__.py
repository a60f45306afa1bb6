"""The fastest way to create an HTML app: Python-native hypermedia with HTMX

Modules:

- `fasthtml.app`: `FastHTML`, the Starlette application: configuration, sessions, Beforeware, the one route funnel, `APIRouter`, static routes, `serve` and the sync test `Client`.
- `fasthtml.check`: Check a FastHTML app's pages: links and htmx requests that match no route, selectors that match nothing, forms that cannot fill their handler, duplicate ids
- `fasthtml.db`: Open a MiniDataAPI database from a file path or a URL: SQLite through fastlite (tuned for several workers), PostgreSQL (or any SQLAlchemy 2 database with `RETURNING`) through a thin adapter
- `fasthtml.htmx_check`: Find what an htmx 2 FastHTML app must change for htmx 4: renamed and dropped attributes, renamed events, inheritance that is now explicit, request headers that htmx 4 no longer sends
- `fasthtml.params`: Handler injection: each handler signature is compiled once into a tuple of small resolvers that fill the arguments from the request (path, query, cookies, headers, form or JSON body) and cast them by annotation.
- `fasthtml.render`: A fast `to_xml`: one walker that turns an `FT` tree into HTML, byte-identical to `fastcore.xml.to_xml` (except that the text of non-`str` children is escaped too).
- `fasthtml.responses`: Turning what a handler returns into a Starlette response: FT trees as full pages or HTMX fragments, strings, JSON, headers, cookies, redirects and event streams.
- `fasthtml.security`: `fast_app(security_headers=True)`: HSTS, nosniff, Referrer-Policy, frame options and a Content-Security-Policy whose per-request nonce the renderer stamps onto every script and style"""

__version__ = "1.0.0"
