"Rate limits: `/ping` allows 3 requests per 10 s per client; an htmx click over the limit shows a toast, a page gets a 429 page."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.ratelimit import RateLimit, setup_rate_limit

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)
CSP = os.environ.get('FH_CSP') == '1'     # FH_CSP=1: under a strict Content-Security-Policy (scripts need the nonce)

app, rt = fast_app(htmx4=HTMX4, security_headers=CSP)
setup_rate_limit(app)   # the toast CSS and scripts (htmx 2's 429 swap, the toast's timer and close button), on every page
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

# REDIS_URL shares the counts between worker processes (needs `pip install redis`); without it they stay in memory.
ping_limit = RateLimit(3, per=10, store=os.environ.get('REDIS_URL'), name='ping')
pings = 0

@rt('/')
def get():
    return Titled('Rate limits',
        P('Ping the server: 3 pings per 10 seconds are allowed.'),
        Button('Ping', id='ping', hx_post='/ping', hx_target='#pings'),
        P('Pings: ', Span('0', id='pings')),
        A('Ping without htmx', href='/ping', id='plain-ping'))

@rt('/ping')
@ping_limit
def ping():
    global pings
    pings += 1
    return str(pings)

serve()
