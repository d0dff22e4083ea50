#!/usr/bin/env bash
# Browser test of the pages behind the mail links (/auth/verify, /auth/password/reset): a real
# `sharpbase serve` on the blog example, mail to the .eml outbox, Chromium driven by playwright-core.
exec bash "$(dirname "$0")/lib/node-suite.sh" auth-pages
