-- wrk script of the graphql scenario: an anonymous POST of one nested query, the 20 newest
-- published posts with their author and tags (the same body for Sharpbase and the baseline).
wrk.method = "POST"
wrk.body = '{"query":"{ posts(limit: 20, sort: \\"-published_at\\") { items { id title author { id name } tags { id name } } } }"}'
wrk.headers["Content-Type"] = "application/json"
