-- wrk script: a mix of valid, tampered, forged, stale, future, header-less and malformed
-- AlgoGuard deliveries, each checked against the status (and error code or id) it must get.
--
-- Environment (set by load.py):
--   LOAD_POOL      file of pre-signed requests, one per line, tab-separated:
--                  kind, expected status, marker (the id for a valid delivery, else the error
--                  code), signature header or "-", timestamp header or "-", body (compact JSON)
--   LOAD_REQUESTS  at most this many responses in all: each thread stops at its share, and
--                  the last thread to stop ends the run (wrk's -d bounds the time)
--   LOAD_THREADS   the -t value (each thread has exactly one connection: -c = -t)
--   LOAD_DONE_DIR  an empty directory where each thread leaves a file when it has stopped
--
-- Pairing a response with its request: with one connection per thread wrk writes a request,
-- reads its response, and only then asks for the next request, so the last request handed out
-- by request() is the one the next response() answers (after a reconnect too: the lost request
-- is simply replaced). The marker check below would expose any mispairing.

local pool_path = os.getenv("LOAD_POOL")
local total_limit = tonumber(os.getenv("LOAD_REQUESTS"))
local nthreads = tonumber(os.getenv("LOAD_THREADS"))
local done_dir = os.getenv("LOAD_DONE_DIR")

local ffi = require("ffi")
ffi.cdef([[
int getpid(void);
int tgkill(int tgid, int tid, int sig);
]])
local SIGINT = 2 -- Linux

-- setup/done run in wrk's main Lua state: keep the threads to read their counters in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  requests, expected, markers, kinds = {}, {}, {}, {}
  for line in io.lines(pool_path) do
    local kind, status, marker, sig, ts, body =
      line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
    local headers = { ["Content-Type"] = "application/json" }
    if sig ~= "-" then headers["X-AlgoGuard-Signature"] = sig end
    if ts ~= "-" then headers["X-AlgoGuard-Timestamp"] = ts end
    table.insert(requests, wrk.format("POST", "/webhooks/algoguard", headers, body))
    table.insert(expected, tonumber(status))
    table.insert(markers, marker)
    table.insert(kinds, kind)
  end
  n = #requests
  -- Each thread walks the pool from its own offset.
  next_index = math.floor((tid - 1) * n / nthreads)
  limit = math.ceil(total_limit / nthreads)
  current = nil
  answered, wrong, unpaired = 0, 0, 0
  sent_by_kind, wrong_by_kind = {}, {}
  for _, k in ipairs(kinds) do
    sent_by_kind[k] = 0
    wrong_by_kind[k] = 0
  end
  wrong_statuses = {} -- "kind:status" -> count, for the report
  stopping = false
end

function request()
  current = next_index % n + 1
  next_index = next_index + 1
  return requests[current]
end

function response(status, headers, body)
  local i = current
  local kind = kinds[i]
  answered = answered + 1
  sent_by_kind[kind] = sent_by_kind[kind] + 1
  if status ~= expected[i] then
    wrong = wrong + 1
    wrong_by_kind[kind] = wrong_by_kind[kind] + 1
    local key = kind .. ":" .. status
    wrong_statuses[key] = (wrong_statuses[key] or 0) + 1
  elseif not body:find(markers[i], 1, true) then
    unpaired = unpaired + 1
  end
  if answered >= limit and not stopping then
    stopping = true
    wrk.thread:stop()
    finished()
  end
end

-- Threads share no state, so they meet in LOAD_DONE_DIR: each leaves a file, then counts the
-- files; the one that sees them all (the last, or one of the last) ends the run.
function finished()
  io.open(done_dir .. "/" .. tid, "w"):close()
  for i = 1, nthreads do
    local f = io.open(done_dir .. "/" .. i, "r")
    if f == nil then return end
    f:close()
  end
  -- wrk's main thread sleeps for -d unless interrupted: SIGINT wakes it and the run ends (its
  -- duration is then the real one). The signal must reach that thread: sent to the process
  -- (kill), it can be taken by whichever thread next recalculates its pending signals (one
  -- unblocking signals in posix_spawn, say), and the main thread's sleep then restarts: the run
  -- went on to its -d bound about one time in four. tgkill() aims at the main thread, whose
  -- thread id is the process id.
  ffi.C.tgkill(ffi.C.getpid(), ffi.C.getpid(), SIGINT)
end

local function json_string(s)
  return '"' .. tostring(s):gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function json_map(t)
  local parts = {}
  for k, v in pairs(t) do
    table.insert(parts, json_string(k) .. ":" .. tostring(v))
  end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests_stats)
  local answered_all, wrong_all, unpaired_all = 0, 0, 0
  local sent, wrong_kind, statuses, per_thread = {}, {}, {}, {}
  for _, thread in ipairs(threads) do
    answered_all = answered_all + thread:get("answered")
    table.insert(per_thread, tostring(thread:get("answered")))
    wrong_all = wrong_all + thread:get("wrong")
    unpaired_all = unpaired_all + thread:get("unpaired")
    for k, v in pairs(thread:get("sent_by_kind")) do sent[k] = (sent[k] or 0) + v end
    for k, v in pairs(thread:get("wrong_by_kind")) do wrong_kind[k] = (wrong_kind[k] or 0) + v end
    for k, v in pairs(thread:get("wrong_statuses")) do statuses[k] = (statuses[k] or 0) + v end
  end
  local e = summary.errors
  io.write(string.format(
    'LOADRESULT {"duration_us":%d,"requests":%d,"checked":%d,"wrong":%d,"unpaired":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},' ..
    '"per_thread":[%s],"by_kind":%s,"wrong_by_kind":%s,"wrong_statuses":%s}\n',
    summary.duration, summary.requests, answered_all, wrong_all, unpaired_all,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, table.concat(per_thread, ","), json_map(sent), json_map(wrong_kind),
    json_map(statuses)))
end
