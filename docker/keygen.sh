#!/bin/sh
# Makes the RS256 key pair in /keys unless it exists (first `docker compose up`).
set -eu
if [ -f /keys/private.pem ]; then
    echo "keys exist; keeping them"
    exit 0
fi
apk add --no-cache openssl >/dev/null
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out /keys/private.pem
openssl pkey -in /keys/private.pem -pubout -out /keys/public.pem
chmod 644 /keys/public.pem
chown 10001 /keys/private.pem
echo "generated /keys/private.pem and /keys/public.pem"
