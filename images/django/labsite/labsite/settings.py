"""Settings of the lab's Django project.

DATABASES is article 000's block. HOST and PORT come from the environment so
that one image can try every connection string the article gives.
"""
import os

SECRET_KEY = "netproof-lab-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["probe"]
ROOT_URLCONF = "labsite.urls"
USE_TZ = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "postgres"),
        "USER": os.environ.get("DB_USER", "postgres"),
        "PASSWORD": os.environ.get("DB_PASSWORD", "mysecretpassword"),
        "HOST": os.environ.get("DB_HOST", "172.17.0.1"),
        "PORT": int(os.environ.get("DB_PORT", "5432")),
        # Bounded, so an unanswered SYN becomes a timeout outcome, not a hang.
        "OPTIONS": {"connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))},
    }
}
