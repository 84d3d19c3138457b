"""gunicorn's access log (make serve) keeps no address, user agent, referrer or size for the check's pages."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from gunicorn.config import Config

from backspasm.accesslog import PrivateAccessLogger

ROOT = Path(__file__).resolve().parent.parent
ADDRESS, AGENT = "203.0.113.77", "Mozilla/5.0 (Phone; Distinctive-Agent/9.9)"


class Response:
    status = "200 OK"
    sent = 48213
    headers = [("Content-Type", "text/html"), ("Content-Length", "48213")]


def log_line(path: str, referer: str = "", log_format: str | None = None) -> str:
    config = Config()
    config.set("accesslog", "-")
    if log_format:
        config.set("access_log_format", log_format)
    logger = PrivateAccessLogger(config)
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": ADDRESS,
        "HTTP_USER_AGENT": AGENT,
        "HTTP_X_FORWARDED_FOR": ADDRESS,
        "HTTP_REFERER": referer,
    }
    headers = [("User-Agent", AGENT), ("X-Forwarded-For", ADDRESS), ("Cookie", "sessionid=abc")]
    logger.access(Response(), headers, environ, timedelta(milliseconds=12))
    assert len(lines) == 1
    return lines[0]


EVERYTHING = '%(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(B)s "%(f)s" "%(a)s" %({x-forwarded-for}i)s %({cookie}i)s %({content-length}o)s %({remote_addr}e)s'


@pytest.mark.parametrize("log_format", [None, EVERYTHING])
@pytest.mark.parametrize(
    ("path", "referer"),
    [
        ("/check/result/", ""),
        ("/check/", ""),
        ("/check/pain/", ""),
        ("/routines/heat/", "http://x/check/result/"),
        ("/es/check/result/", ""),
        ("/es/check/", ""),
        ("/es/routines/heat/", "http://x/es/check/result/"),
    ],
)
def test_check_requests_are_logged_without_address_agent_referrer_or_size(path, referer, log_format):
    line = log_line(path, referer, log_format)
    assert f"GET {path} HTTP/1.1" in line and " 200 " in line
    for secret in (ADDRESS, AGENT, "48213", "sessionid", 'check/result/"' if referer else ADDRESS):
        assert secret not in line, (secret, line)


def test_other_requests_are_logged_as_usual():
    line = log_line("/library/")
    assert ADDRESS in line and AGENT in line and "48213" in line
    for path in ("/es/library/", "/checklist/", "/library/check/"):
        assert ADDRESS in log_line(path), path


def test_make_serve_uses_it():
    serve = re.search(r"^serve:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.MULTILINE | re.DOTALL).group(
        0
    )
    assert "--logger-class backspasm.accesslog.PrivateAccessLogger" in serve
    assert "--access-logfile -" in serve
