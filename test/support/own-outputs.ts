// The leading bytes of the tool's own outputs (a report.json, a baseline manifest), as the tests that
// check they never come back as corpus write them into a folder.
export const REPORT_JSON = '{"schemaVersion":1,"tool":{"name":"embedding-drift","version":"0.1.0"},"createdAt":"2026-11-29T05:32:51.768Z","configs":{"a":{"label":"A"},"b":{"label":"B"}}}\n';
export const BASELINE_JSON = '{"format":1,"createdAt":"2026-11-29T05:33:00.000Z","side":{"label":"A"},"fingerprint":"x","dimension":2,"corpus":{},"chunks":[],"vectorsSha256":"00"}';
