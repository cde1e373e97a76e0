"""WSGI entry point for production: ``gunicorn web.wsgi:server``."""

from config import load_settings
from web.app import create_app

server = create_app(load_settings()).server
