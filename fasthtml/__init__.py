"""The fastest way to create an HTML app: Python-native hypermedia with HTMX

Modules:

- `fasthtml.app`: `FastHTML`, the Starlette application: configuration, sessions, Beforeware, the one route funnel, `APIRouter`, static routes, `serve` and the sync test `Client`.
- `fasthtml.db`: Open a MiniDataAPI database from a file path or a URL: SQLite through fastlite (tuned for several workers), PostgreSQL (or any SQLAlchemy 2 database with `RETURNING`) through a thin adapter
- `fasthtml.params`: Handler injection: each handler signature is compiled once into a tuple of small resolvers that fill the arguments from the request (path, query, cookies, headers, form or JSON body) and cast them by annotation.
- `fasthtml.responses`: Turning what a handler returns into a Starlette response: FT trees as full pages or HTMX fragments, strings, JSON, headers, cookies, redirects and event streams."""

__version__ = "1.0.0"
