-- wrk script of the create scenario: an authenticated POST of a new draft (the token comes from
-- BENCH_TOKEN, set by bench/run.sh). views = 1000 keeps the created posts out of the filtered list.
wrk.method = "POST"
wrk.body = '{"title":"A new post from the benchmark","body":"Created under load.","views":1000}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
