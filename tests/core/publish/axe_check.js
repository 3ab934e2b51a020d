// Run axe-core in headless Chromium on one HTML file and print its violations as JSON.
// Usage: node axe_check.js CHROMIUM FILE.html   (NODE_PATH must reach axe-core and puppeteer-core)
const fs = require("fs");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

(async () => {
  const [chromium, file] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    await page.goto("file://" + file, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return { version: window.axe.version,
               violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                    nodes: v.nodes.map(n => n.target.join(" ")) })) };
    });
    process.stdout.write(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch(err => { process.stderr.write(String(err && err.stack || err)); process.exit(3); });
