#!/bin/sh
# Writes the article's default.conf with the chosen proxy_pass target, then runs nginx.
set -eu
: "${NGINX_PROXY_PASS:?set NGINX_PROXY_PASS to the proxy_pass target, e.g. http://model_test:6001}"
envsubst '${NGINX_PROXY_PASS}' </etc/nginx/templates/default.conf.template >/etc/nginx/conf.d/default.conf
exec "$@"
