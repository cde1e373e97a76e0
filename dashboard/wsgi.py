"""WSGI entry point for production: ``gunicorn dashboard.wsgi:server``."""

from config import load_settings
from dashboard.app import create_app

server = create_app(load_settings()).server
