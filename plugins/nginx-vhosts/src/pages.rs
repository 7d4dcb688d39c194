//! The error pages app configs serve for 4xx and 5xx answers, kept in
//! `$DOKKU_LIB_ROOT/data/nginx-vhosts/dokku-errors`. The 502 page, shown
//! while an app has no running web process, reloads itself until the app
//! answers.

const STYLE: &str = "body{font-family:-apple-system,BlinkMacSystemFont,\"Segoe UI\",Helvetica,Arial,sans-serif;color:#333;text-align:center;padding:4em 1em}h1{font-size:2em;font-weight:400}p{color:#666}";

fn page(title: &str, text: &str, extra: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n{extra}</head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n</body>\n</html>\n"
    )
}

const RETRY: &str = "<script>setTimeout(function(){window.location.reload()},5000)</script>\n";

/// `(file name, content)` of every page.
pub static PAGES: std::sync::LazyLock<Vec<(&'static str, String)>> =
    std::sync::LazyLock::new(|| {
        vec![
            (
                "400-error.html",
                page("Bad request", "The request could not be served.", ""),
            ),
            (
                "404-error.html",
                page(
                    "Page not found",
                    "The page you were looking for does not exist.",
                    "",
                ),
            ),
            (
                "500-error.html",
                page(
                    "Something went wrong",
                    "The app could not answer this request.",
                    "",
                ),
            ),
            (
                "502-error.html",
                page(
                    "App not available",
                    "The app is not running yet; this page reloads until it answers.",
                    RETRY,
                ),
            ),
        ]
    });
