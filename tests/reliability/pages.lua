-- wrk script for tests/reliability: GET each path of WRK_PATHS (comma-separated) in turn, and print
-- how many responses came back with each status, summed over wrk's threads ("status 200: 1234").

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("WRK_PATHS") or "/", "[^,]+") do
    table.insert(paths, path)
  end
  counts = {}
  position = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
