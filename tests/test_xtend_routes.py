"""The xtend helpers that add routes: `with_sid`, `robots_txt`, `sitemap_xml` (served by a real app)."""
import pytest

from refbridge import needs_ref, our_run, ref_run

APP = '''
import json
from fasthtml.common import FastHTML
from fasthtml.xtend import robots_txt, sitemap_xml, with_sid
from starlette.testclient import TestClient
def responses(setup, reqs):
    app = FastHTML()
    setup(app)
    c = TestClient(app)
    res = []
    for m, p in reqs:
        r = c.request(m, p, headers={'HX-Request': '1'})
        res.append([r.status_code, r.text])
    return res
'''

SID = APP + '''
out = [responses(lambda a: with_sid(a, '/dest'), [('GET', '/'), ('POST', '/')]),
       responses(lambda a: with_sid(a, '/next?x=1', path='/start'), [('GET', '/start'), ('GET', '/')])]
print(json.dumps(out))
'''

ROBOTS = APP + '''
cases = [dict(), dict(allow_all=False), dict(disallow_paths=['/admin']),
         dict(allow_all=False, disallow_paths=['/admin', '/x'], sitemap_url='https://x.com/sitemap.xml', crawl_delay=5),
         dict(crawl_delay=0), dict(sitemap_url='/sitemap.xml')]
print(json.dumps([responses(lambda a, kw=kw: robots_txt(a, **kw), [('GET', '/robots.txt')]) for kw in cases]))
'''


@needs_ref
def test_with_sid_same_as_reference():
    assert our_run(SID) == ref_run(SID)


@needs_ref
def test_robots_txt_body_same_as_reference():
    assert our_run(ROBOTS) == ref_run(ROBOTS)


@pytest.fixture
def client():
    from starlette.testclient import TestClient

    from fasthtml.common import FastHTML
    from fasthtml.xtend import robots_txt, sitemap_xml
    app = FastHTML()
    robots_txt(app, disallow_paths=['/admin'])
    sitemap_xml(app, ['/a', {'loc': '/b?x=1&y=2', 'lastmod': '2024-01-02', 'changefreq': 'daily', 'priority': 0.8}],
                loc_base='https://x.test')
    return TestClient(app)


def test_robots_txt_is_plain_text(client):
    "Deliberate difference: the reference serves robots.txt as text/html"
    r = client.get('/robots.txt')
    assert r.headers['content-type'] == 'text/plain; charset=utf-8'
    assert r.text == 'User-agent: *\nDisallow: /admin'


def test_sitemap_xml_is_an_xml_document(client):
    "Deliberate difference: the reference wraps the urlset in an HTML page served as text/html"
    r = client.get('/sitemap.xml')
    assert r.status_code == 200
    assert r.headers['content-type'] == 'application/xml'
    assert r.text == ('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                      '<url><loc>https://x.test/a</loc></url>'
                      '<url><loc>https://x.test/b?x=1&amp;y=2</loc><lastmod>2024-01-02</lastmod>'
                      '<changefreq>daily</changefreq><priority>0.8</priority></url></urlset>')


def test_sitemap_bad_entry_names_the_value():
    from fasthtml.common import FastHTML
    from fasthtml.xtend import sitemap_xml
    with pytest.raises(ValueError, match="'lastmod'"): sitemap_xml(FastHTML(), [{'lastmod': '2024'}])
