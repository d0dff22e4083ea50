#!/usr/bin/env bash
# GraphQL through a real client library (graphql-request from npm) against a real `sharpbase serve`
# on the blog example: queries and mutations as two users and anonymously, and the explorer page in Chromium.
exec bash "$(dirname "$0")/lib/node-suite.sh" graphql-client
