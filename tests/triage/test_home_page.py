from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_with_the_check(client):
    body = client.get("/").content.decode()
    main = body[body.index("<main") :]
    assert main.index("Check your back pain") < main.index('href="/routines/')
    assert 'class="button button-start" href="/check/"' in body
    for link in ('href="/routines/"', 'href="/library/"', 'href="/handouts/"'):
        assert link in main


def test_every_page_has_a_check_item_in_the_navigation(client):
    body = client.get("/").content.decode()
    nav = body[body.index('class="site-nav"') : body.index("</nav>")]
    assert '<a href="/check/">Check</a>' in nav
