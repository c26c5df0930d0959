// Webview entry: renders a report.
