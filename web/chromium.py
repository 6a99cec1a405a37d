"""How the browser tests and the benchmarks start Debian's headless Chromium on these machines (no network but
loopback, root, no GPU): one list, so a flag added for one reaches all."""

CHROMIUM_ARGS = [
    "--no-sandbox",  # root, in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # otherwise it tries Google's hosts, and the closed network refuses them
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
