-- wrk-report.lua: wasmvs's report hook for wrk. wrk calls done() once at the end of a
-- run; it prints one line, "wasmvs-wrk-report: " followed by a JSON object, which
-- harness/load/wrk.c (load_wrk_parse_report) reads. Times are in microseconds, as wrk
-- keeps them.

done = function(summary, latency, requests)
   local e = summary.errors
   -- With no latency sample (no request completed) wrk's min is UINT64_MAX, which no
   -- JSON reader takes as an integer: report 0, as the percentiles are.
   local min = latency.min
   if min >= 2^53 then min = 0 end
   io.write(string.format(
      'wasmvs-wrk-report: {"duration_us":%.0f,"requests":%.0f,"bytes":%.0f,' ..
      '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},' ..
      '"latency_us":{"min":%.0f,"mean":%.3f,"stdev":%.3f,"max":%.0f,' ..
      '"p50":%.0f,"p90":%.0f,"p99":%.0f,"p99.9":%.0f}}\n',
      summary.duration, summary.requests, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9)))
end
