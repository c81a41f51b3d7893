// The WPS add-in's JavaScript against a fake WPS object model (fake_wps.js) and the real xlscore service
// (`python3 -m xlscore serve`, started here on a free port with a token in a temporary config folder).
// Run: node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const net = require("node:net");
const http = require("node:http");
const { spawn, spawnSync } = require("node:child_process");

const { FakeApp, FakeBook } = require("./fake_wps.js");
const ROOT = path.resolve(__dirname, "..", "..");
const ADDIN = path.join(ROOT, "xlscore", "wps", "addin");
const Xlscore = require(path.join(ADDIN, "js", "xlscore.js"));
const PYTHON = process.env.PYTHON || "python3";
const SAMPLE = path.join(ROOT, "samples", "changji_2024.xlsx");

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "xlscore-js-"));
const ENV = Object.assign({}, process.env, {
  PYTHONPATH: ROOT + (process.env.PYTHONPATH ? path.delimiter + process.env.PYTHONPATH : ""),
  XLSCORE_CONFIG_DIR: path.join(TMP, "config"), XLSCORE_LANG: "zh"
});

function python(args) {
  const p = spawnSync(PYTHON, args, { cwd: ROOT, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (p.error) { throw p.error; }
  return p;
}

function model(file) {             // the object model's state for a workbook file (tests/wps_book.py)
  const p = python([path.join(ROOT, "tests", "wps_book.py"), file]);
  assert.strictEqual(p.status, 0, p.stderr);
  const m = JSON.parse(p.stdout);
  m.dir = TMP;
  return m;
}

let service = null;
let config = null;
const changji = model(SAMPLE);

function freshBook(edit) {
  const m = JSON.parse(JSON.stringify(changji));
  if (edit) { edit(m); }
  const book = new FakeBook(m);
  const app = new FakeApp(book);
  return { book, app };
}

async function press(button, app, extra) {
  const alerts = [];
  const deps = Object.assign({ app, config, alert: (m) => alerts.push(m) }, extra || {});
  const answer = await Xlscore.run(button, deps);
  return { answer, alerts };
}

test.before(async () => {
  service = spawn(PYTHON, ["-m", "xlscore", "serve", "--port", "0"], { cwd: ROOT, env: ENV });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    service.stdout.on("data", (d) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { resolve(Number(m[1])); }
    });
    service.on("exit", (code) => reject(new Error("xlscore serve exited " + code)));
    setTimeout(() => reject(new Error("xlscore serve did not start: " + out)), 30000);
  });
  const token = fs.readFileSync(path.join(TMP, "config", "token"), "ascii").trim();
  config = { port, token, lang: "zh" };
});

test.after(() => {
  if (service) { service.kill(); }
  fs.rmSync(TMP, { recursive: true, force: true });
});

// ---------------------------------------------------------------- parity with `xlscore recalc`

function cellsOf(sheet) {
  const out = new Map();
  for (const c of sheet.cells) { out.set(c.r + "," + c.c, c); }
  return out;
}

function same(a, b) {
  if (typeof a === "number" && typeof b === "number") { return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)); }
  return a === b;
}

async function parity(file, state) {
  const out = path.join(TMP, path.basename(file, ".xlsx") + ".cli.xlsx");
  const cli = python(["-m", "xlscore", "recalc", file, "-o", out, "--format", "json"]);
  assert.ok(cli.status === 0 || cli.status === 1, cli.stderr);
  const doc = JSON.parse(cli.stdout);
  const expected = model(out);

  const book = new FakeBook(JSON.parse(JSON.stringify(state)));
  const app = new FakeApp(book);
  const { answer, alerts } = await press("xlscoreRecalc", app);
  assert.ok(answer, alerts.join("\n"));
  assert.match(alerts[alerts.length - 1], /已重新计算并写回：\d+ 个错误/);

  const key = (s, f) => [s.name, f.cell, f.code, f.severity, f.message, JSON.stringify(f.expected), JSON.stringify(f.found)].join("|");
  const mine = answer.sheets.flatMap((s) => s.findings.map((f) => key(s, f))).sort();
  const theirs = doc.files[0].sheets.flatMap((s) => s.findings.map((f) => key(s, f))).sort();
  assert.ok(theirs.length > 5);
  assert.deepStrictEqual(mine, theirs);

  const got = book.state();
  assert.deepStrictEqual(got.sheets.map((s) => s.name), expected.sheets.map((s) => s.name));
  let compared = 0;
  for (const want of expected.sheets) {
    if (want.name === "xlscore_state") { continue; }       // its fill column holds each store's own token
    const have = got.sheets.find((s) => s.name === want.name);
    const a = cellsOf(want), b = cellsOf(have);
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(k) || {}, y = b.get(k) || {};
      for (const field of ["value2", "formula", "nf", "note"]) {
        assert.ok(same(x[field], y[field]), `${want.name}!${k} ${field}: cli ${JSON.stringify(x[field])} wps ${JSON.stringify(y[field])}`);
      }
      assert.strictEqual(y.fill, x.fill, `${want.name}!${k} fill`);
      compared++;
    }
  }
  const stateSheet = got.sheets.find((s) => s.name === "xlscore_state");
  assert.strictEqual(stateSheet.visible, 2);                    // very hidden, as the CLI's
  assert.deepStrictEqual(stateSheet.cells.filter((c) => c.c <= 2 || c.r === 1).map((c) => c.value2),
                         expected.sheets.find((s) => s.name === "xlscore_state").cells
                           .filter((c) => c.c <= 2 || c.r === 1).map((c) => c.value2));
  const report = book.sheet("xlscore");
  assert.ok(report.links.length > 5 && report.links[0][3].startsWith("'"), JSON.stringify(report.links[0]));
  return compared;
}

test("重新计算: the same findings and the same written cells as xlscore recalc on the file", async () => {
  assert.ok(await parity(SAMPLE, changji) > 1000);
});

test("重新计算 on an evaluator's scoring table (东湖 2022): the same as xlscore recalc", async () => {
  const file = path.join(ROOT, "samples", "donghu_2022.xlsx");
  assert.ok(await parity(file, model(file)) > 100);
});

test("重新计算 twice gives the same workbook (the service restores the previous run first)", async () => {
  const { book, app } = freshBook();
  await press("xlscoreRecalc", app);
  const once = JSON.stringify(book.state());
  const { alerts } = await press("xlscoreRecalc", app);
  assert.match(alerts[0], /已重新计算/);
  assert.strictEqual(JSON.stringify(book.state()), once);
  assert.strictEqual(book.state().sheets.filter((s) => s.name === "xlscore").length, 1);
});

test("检查 changes no cell of the forms; it writes the xlscore report sheet only", async () => {
  const { book, app } = freshBook();
  const { answer, alerts } = await press("xlscoreCheck", app);
  assert.ok(answer);
  assert.match(alerts[0], /检查完成（未修改单元格）/);
  const touched = book.log.filter((e) => ["value", "formula", "fill", "add_comment", "delete_comment", "number_format"].includes(e[0]));
  assert.ok(touched.length > 0);
  assert.deepStrictEqual([...new Set(touched.map((e) => e[1]))], ["xlscore"]);
  assert.ok(!book.sheet("xlscore_state"));
});

test("生成模板 writes a template beside the workbook, never over a file, and opens it", async () => {
  const { app } = freshBook();
  const first = await press("xlscoreTemplate", app);
  assert.ok(first.answer, first.alerts.join("\n"));
  assert.strictEqual(app.opened.length, 1);
  assert.strictEqual(path.dirname(app.opened[0]), TMP);
  assert.ok(fs.existsSync(app.opened[0]));
  const second = await press("xlscoreTemplate", app);
  assert.notStrictEqual(app.opened[1], app.opened[0]);
  assert.match(path.basename(app.opened[1]), /\(2\)\.xlsx$/);
  assert.deepStrictEqual(second.alerts, []);
});

// ---------------------------------------------------------------- protection

test("a protected sheet: protection lifted for the writes and put back with the same options", async () => {
  const name = changji.sheets[0].name;
  const { book, app } = freshBook((m) => { m.sheets[0].protected = true; m.sheets[0].protection = { AllowFormattingCells: true }; });
  const { answer, alerts } = await press("xlscoreRecalc", app);
  assert.ok(answer, alerts.join("\n"));
  assert.ok(answer.unprotect.includes(name), JSON.stringify(answer.unprotect));
  const sheet = book.sheet(name);
  assert.ok(sheet.ProtectContents);
  const call = sheet.protectCalls[sheet.protectCalls.length - 1];
  assert.strictEqual(call.Password, "");
  assert.strictEqual(call.Contents, true);
  assert.strictEqual(call.AllowFormattingCells, true);
  assert.ok(book.log.some((e) => e[1] === name && e[0] === "add_comment"));

  const plain = freshBook();
  await press("xlscoreRecalc", plain.app);
  assert.deepStrictEqual(plain.book.state().sheets.map((s) => s.cells),
                         book.state().sheets.map((s) => s.cells));
});

test("a sheet protected with a password: a Chinese message box and no cell changed", async () => {
  const name = changji.sheets[0].name;
  const { book, app } = freshBook((m) => { m.sheets[0].protected = true; m.sheets[0].password = "1234"; });
  const { answer, alerts } = await press("xlscoreRecalc", app);
  assert.strictEqual(answer, null);
  assert.strictEqual(alerts.length, 1);
  assert.match(alerts[0], new RegExp("工作表「" + name + "」设有保护密码"));
  assert.deepStrictEqual(book.log, []);
  assert.ok(book.sheet(name).ProtectContents);
});

// ---------------------------------------------------------------- the service missing or refusing

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

test("the service not running: a message box with the one command that starts it", async () => {
  const port = await freePort();
  for (const button of ["xlscoreRecalc", "xlscoreCheck", "xlscoreTemplate"]) {
    const { book, app } = freshBook();
    const { answer, alerts } = await press(button, app, { config: { port, token: "x", lang: "zh" } });
    assert.strictEqual(answer, null);
    assert.strictEqual(alerts.length, 1);
    assert.match(alerts[0], /xlscore 服务没有运行/);
    assert.match(alerts[0], /\n\s+xlscore serve$/);
    assert.deepStrictEqual(book.log, []);
  }
});

// An embedded browser without fetch: the add-in falls back to XMLHttpRequest. This one is node's http module.
class NodeXHR {
  open(method, url) { this.method = method; this.url = new URL(url); this.headers = {}; }
  setRequestHeader(k, v) { this.headers[k] = v; }
  send(data) {
    const req = http.request({ host: this.url.hostname, port: this.url.port, path: this.url.pathname, method: this.method,
                               headers: Object.assign({ "Content-Length": Buffer.byteLength(data || "") }, this.headers) },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => { text += d; });
        res.on("end", () => { this.status = res.statusCode; this.responseText = text; this.onload(); });
      });
    req.on("error", () => this.onerror());
    req.end(data || undefined);
  }
}

test("without fetch: XMLHttpRequest (here over node's http module) against the real service, and the service down", async () => {
  const vm = require("node:vm");
  const run = async (cfg) => {
    const { book, app } = freshBook();
    const alerts = [];
    const page = { Application: app, alert: (m) => alerts.push(m), XMLHttpRequest: NodeXHR, console, Promise };
    page.window = page;
    vm.createContext(page);
    vm.runInContext(`var XLSCORE_CONFIG = ${JSON.stringify(cfg)};`, page);
    for (const src of ["js/wps_adapter.js", "js/xlscore.js"]) {
      vm.runInContext(fs.readFileSync(path.join(ADDIN, src), "utf8"), page, { filename: src });
    }
    assert.strictEqual(typeof page.fetch, "undefined");
    page.OnXlscoreAction({ Id: "xlscoreCheck" });
    for (let i = 0; i < 300 && alerts.length === 0; i++) { await new Promise((r) => setTimeout(r, 100)); }
    return { book, alerts };
  };
  const good = await run({ port: config.port, token: config.token, lang: "zh" });
  assert.match(good.alerts[0] || "", /^检查完成/);
  assert.ok(good.book.sheet("xlscore"));
  const down = await run({ port: await freePort(), token: "x", lang: "zh" });
  assert.match(down.alerts[0] || "", /xlscore 服务没有运行/);
});

test("a wrong token: the service's Chinese refusal in a message box", async () => {
  const { book, app } = freshBook();
  const { answer, alerts } = await press("xlscoreCheck", app, { config: Object.assign({}, config, { token: "wrong" }) });
  assert.strictEqual(answer, null);
  assert.match(alerts[0], /访问令牌不符/);
  assert.deepStrictEqual(book.log, []);
});

test("no workbook open, an object model that throws: message boxes, never a script error", async () => {
  const none = await press("xlscoreRecalc", new FakeApp(null));
  assert.deepStrictEqual(none.alerts, ["请先打开要检查的工作簿。"]);

  const { book, app } = freshBook();
  Object.defineProperty(book.Sheets, "Count", { get() { throw new Error("RPC failed"); } });
  const broken = await press("xlscoreCheck", app);
  assert.strictEqual(broken.answer, null);
  assert.match(broken.alerts[0], /^xlscore 运行出错：RPC failed/);

  // the ribbon callback itself: returns at once, whatever happens later (here: no WPS at all)
  assert.strictEqual(Xlscore.OnXlscoreAction({ Id: "xlscoreRecalc" }), true);
  assert.strictEqual(Xlscore.OnXlscoreAction(undefined), true);
  assert.strictEqual(Xlscore.OnXlscoreAction({ get Id() { throw new Error("no Id"); } }), true);
  assert.strictEqual(Xlscore.OnXlscoreLabel(null), "xlscore");
  assert.strictEqual(Xlscore.OnXlscoreImage(undefined), "");
  assert.strictEqual(Xlscore.OnAddinLoad({}), true);
});

test("English with lang en", async () => {
  const { app } = freshBook();
  const { alerts } = await press("xlscoreCheck", app, { config: Object.assign({}, config, { lang: "en" }) });
  assert.match(alerts[0], /^Checked \(no cell changed\): \d+ errors/);
});

// ---------------------------------------------------------------- the shipped files

test("loaded as WPS loads it (main.js's scripts in order, as a page): the ribbon callbacks work through globals", async () => {
  const vm = require("node:vm");
  const { book, app } = freshBook();
  const alerts = [];
  const page = { Application: app, alert: (m) => alerts.push(m), fetch, console };
  page.window = page;
  vm.createContext(page);
  const main = fs.readFileSync(path.join(ADDIN, "main.js"), "utf8");
  const scripts = [...main.matchAll(/src='([^']+)'/g)].map((m) => m[1]);
  assert.deepStrictEqual(scripts, ["js/config.js", "js/wps_adapter.js", "js/xlscore.js"]);
  for (const src of scripts) {
    let code = fs.readFileSync(path.join(ADDIN, src), "utf8");
    if (src === "js/config.js") {        // what `xlscore wps install` writes there
      code = `var XLSCORE_CONFIG = ${JSON.stringify({ port: config.port, token: config.token, lang: "zh" })};`;
    }
    vm.runInContext(code, page, { filename: src });
  }
  for (const fn of ["OnAddinLoad", "OnXlscoreAction", "OnXlscoreLabel", "OnXlscoreImage"]) {
    assert.strictEqual(typeof page[fn], "function", fn);
  }
  const ribbonUI = { InvalidateControl() {} };
  assert.strictEqual(page.OnAddinLoad(ribbonUI), true);
  assert.strictEqual(app.ribbonUI, ribbonUI);
  assert.strictEqual(page.OnXlscoreLabel({ Id: "xlscoreCheck" }), "检查");
  assert.strictEqual(page.OnXlscoreAction({ Id: "xlscoreCheck" }), true);      // returns at once
  for (let i = 0; i < 300 && alerts.length === 0; i++) { await new Promise((r) => setTimeout(r, 100)); }
  assert.match(alerts[0] || "", /^检查完成（未修改单元格）/);
  assert.ok(book.sheet("xlscore"));
});

test("every WPS object-model call is in wps_adapter.js: xlscore.js touches none", () => {
  const src = fs.readFileSync(path.join(ADDIN, "js", "xlscore.js"), "utf8");
  const members = ["ActiveWorkbook", "Workbooks", "Sheets", "UsedRange", "Cells", "Value2", "Formula", "Text",
    "NumberFormat", "Interior", "Comment", "AddComment", "MergeCells", "MergeArea", "ProtectContents", "Protection",
    "Protect", "Unprotect", "Hyperlinks", "DisplayAlerts", "Visible", "Delete", "ribbonUI", "Application"];
  const used = members.filter((m) => new RegExp("\\.\\s*" + m + "\\b").test(src));
  assert.deepStrictEqual(used, []);
  const adapter = fs.readFileSync(path.join(ADDIN, "js", "wps_adapter.js"), "utf8");
  for (const m of ["ActiveWorkbook", "UsedRange", "Value2", "Interior", "AddComment", "MergeArea", "ProtectContents", "Unprotect"]) {
    assert.match(adapter, new RegExp("\\." + m + "\\b"), m);
  }
});

test("ribbon.xml names three buttons whose callbacks main.js's scripts define", () => {
  const ribbon = fs.readFileSync(path.join(ADDIN, "ribbon.xml"), "utf8");
  const buttons = [...ribbon.matchAll(/<button id="(\w+)" label="([^"]+)"[^>]*onAction="(\w+)"/g)].map((m) => [m[1], m[2], m[3]]);
  assert.deepStrictEqual(buttons, [["xlscoreRecalc", "重新计算", "OnXlscoreAction"], ["xlscoreCheck", "检查", "OnXlscoreAction"],
                                   ["xlscoreTemplate", "生成模板", "OnXlscoreAction"]]);
  assert.match(ribbon, /onLoad="OnAddinLoad"/);
  for (const id of ["xlscoreRecalc", "xlscoreCheck", "xlscoreTemplate"]) {
    assert.strictEqual(Xlscore.OnXlscoreLabel({ Id: id }), buttons.find((b) => b[0] === id)[1]);
    assert.ok(fs.existsSync(path.join(ADDIN, Xlscore.OnXlscoreImage({ Id: id }))));
  }
  const main = fs.readFileSync(path.join(ADDIN, "main.js"), "utf8");
  for (const m of main.matchAll(/src='([^']+)'/g)) { assert.ok(fs.existsSync(path.join(ADDIN, m[1])), m[1]); }
  assert.match(fs.readFileSync(path.join(ADDIN, "index.html"), "utf8"), /src="\.\/main\.js"/);
});
