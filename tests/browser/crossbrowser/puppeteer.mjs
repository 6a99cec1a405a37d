// Debian's Firefox ESR (over WebDriver BiDi) or Chromium (over CDP, for comparisons) driven by puppeteer-core, which
// never downloads a browser, for other_browsers.py: one JSON command a line on stdin, one JSON answer ({value} or
// {error}) a line on stdout; the first answer is the browser's version.
//   node puppeteer.mjs firefox|chrome BINARY WIDTH HEIGHT [ARGUMENTS_JSON]
import readline from "node:readline";
import puppeteer from "puppeteer-core";

const [kind, executablePath, width, height, args = "[]"] = process.argv.slice(2);
const browser = await puppeteer.launch({
  browser: kind,
  executablePath,
  headless: true,
  protocol: kind === "firefox" ? "webDriverBiDi" : "cdp",
  args: JSON.parse(args),
  defaultViewport: { width: Number(width), height: Number(height) },
});
const page = await browser.newPage();
const errors = []; // BiDi reports the console of the page's workers too
page.on("console", (message) => message.type() === "error" && errors.push(`console.error: ${message.text()}`));
page.on("pageerror", (error) => errors.push(`uncaught: ${error.message ?? error}`));

const commands = {
  goto: ({ url }) => page.goto(url, { waitUntil: "load", timeout: 60_000 }),
  evaluate: ({ script }) => page.evaluate(script),
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }),
  errors: () => errors.splice(0),
};
const answer = (reply) => process.stdout.write(JSON.stringify(reply) + "\n");

answer({ value: await browser.version() });
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { command, ...args } = JSON.parse(line);
  if (command === "close") break;
  try {
    const value = await commands[command](args);
    answer({ value: command === "evaluate" || command === "errors" ? value ?? null : null });
  } catch (error) {
    answer({ error: String(error?.message ?? error) });
  }
}
await browser.close();
