// The xlscore tab of WPS 表格: 重新计算 / 检查 / 生成模板.
// Reads the active workbook through the adapter (wps_adapter.js), posts it to the local xlscore service
// (`xlscore serve`, api 1) and replays the service's ops through the adapter. Nothing is computed here:
// the restore of the previous run, the engine, the write plan and the report are the service's, the
// same code as the CLI and the Excel button. Every failure ends in a message box, never a script error.
(function (root, factory) {
  var adapter = root.XlscoreAdapter || (typeof require === "function" ? require("./wps_adapter.js") : null);
  var api = factory(adapter);
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.Xlscore = api;
    root.OnAddinLoad = api.OnAddinLoad;
    root.OnXlscoreAction = api.OnXlscoreAction;
    root.OnXlscoreLabel = api.OnXlscoreLabel;
    root.OnXlscoreImage = api.OnXlscoreImage;
  }
})(this, function (A) {
  "use strict";
  var API = 1;
  var TEXT = {
    zh: {
      xlscoreRecalc: "重新计算", xlscoreCheck: "检查", xlscoreTemplate: "生成模板",
      down: "xlscore 服务没有运行。\n请在命令行（终端）运行下面这条命令，保持窗口打开，再点一次按钮：\n\n    xlscore serve",
      noBook: "请先打开要检查的工作簿。",
      busy: "xlscore 正在处理上一次的操作，请稍候。",
      protectedSheet: "工作表「{sheet}」设有保护密码，xlscore 无法写入结果；请先撤销工作表保护（审阅 → 撤销工作表保护）",
      failed: "xlscore 运行出错：{reason}",
      badAnswer: "xlscore 服务的回答无法识别（接口版本 {got}，加载项为 {api}）；请运行 xlscore wps install 更新加载项",
      http: "xlscore 服务拒绝了请求（{status}）：{message}"
    },
    en: {
      xlscoreRecalc: "Recalculate", xlscoreCheck: "Check", xlscoreTemplate: "New template",
      down: "The xlscore service is not running.\nRun this command in a terminal, keep it open, and press the button again:\n\n    xlscore serve",
      noBook: "Open the workbook to check first.",
      busy: "xlscore is still busy with the previous action; please wait.",
      protectedSheet: "Sheet '{sheet}' is protected with a password; unprotect it (Review → Unprotect Sheet) so xlscore can write",
      failed: "xlscore failed: {reason}",
      badAnswer: "Unrecognised answer from the xlscore service (api {got}, the add-in speaks {api}); run xlscore wps install to update it",
      http: "The xlscore service refused the request ({status}): {message}"
    }
  };
  var IMAGES = { xlscoreRecalc: "images/recalc.svg", xlscoreCheck: "images/check.svg", xlscoreTemplate: "images/template.svg" };
  var MODES = { xlscoreRecalc: "recalc", xlscoreCheck: "check", xlscoreTemplate: "template" };

  function config() {
    var g = typeof XLSCORE_CONFIG !== "undefined" ? XLSCORE_CONFIG : {};   // js/config.js
    return { port: g.port || 47815, token: g.token || "", lang: g.lang === "en" ? "en" : "zh" };
  }

  function say(lang, key, params) {
    var s = (TEXT[lang] || TEXT.zh)[key] || key;
    for (var k in (params || {})) { s = s.split("{" + k + "}").join(String(params[k])); }
    return s;
  }

  function UserError(message) { this.message = message; }      // a message for the box, not a bug

  // ---- the service
  function Down() {}

  // fetch where the page has it (WPS's Chromium, node); XMLHttpRequest on an older embedded browser.
  // A refused connection (the service not running) becomes Down.
  function httpRequest(cfg, method, path, body) {
    var url = "http://127.0.0.1:" + cfg.port + path;
    var data = body === undefined ? undefined : JSON.stringify(body);
    var headers = { "Content-Type": "application/json" };
    if (cfg.token) { headers["X-Xlscore-Token"] = cfg.token; }
    function parse(status, text) {
      var json = null;
      try { json = JSON.parse(text); } catch (e) { json = null; }
      return { status: status, json: json };
    }
    if (typeof fetch === "function") {
      return fetch(url, { method: method, headers: headers, body: data }).then(function (res) {
        return res.text().then(function (text) { return parse(res.status, text); });
      }, function () { throw new Down(); });
    }
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      for (var h in headers) { xhr.setRequestHeader(h, headers[h]); }
      xhr.onload = function () { resolve(parse(xhr.status, xhr.responseText)); };
      xhr.onerror = function () { reject(new Down()); };
      xhr.send(data === undefined ? null : data);
    });
  }

  function call(deps, path, body) {
    return deps.request(deps.config, "POST", path, body).then(function (res) {
      var lang = deps.config.lang;
      if (res.status !== 200) {
        var m = res.json && res.json.error ? res.json.error.message : "";
        throw new UserError(m || say(lang, "http", { status: res.status, message: "" }));
      }
      if (!res.json || res.json.api !== API) {
        throw new UserError(say(lang, "badAnswer", { got: res.json ? res.json.api : "?", api: API }));
      }
      return res.json;
    });
  }

  // ---- reading the workbook (what is posted: README "WPS 服务的 JSON")
  function isGeneral(nf) { return !nf || nf === "General" || nf === "G/通用格式"; }

  function readSheet(sheet) {
    var out = { name: A.sheetName(sheet), protected: A.isProtected(sheet), visible: A.sheetVisible(sheet),
                cells: [], merges: [] };
    var b = A.usedBounds(sheet), seen = {};
    for (var r = b.row; r < b.row + b.rows; r++) {
      for (var c = b.col; c < b.col + b.cols; c++) {
        var cell = A.cell(sheet, r, c);
        var m = A.mergeArea(cell);
        if (m) {
          var key = m.join(",");
          if (!seen[key]) { seen[key] = true; out.merges.push(m); }
          if (m[0] !== r || m[1] !== c) { continue; }         // inside a merged range: only its top-left holds
        }
        var e = { r: r, c: c };
        var v = A.value2(cell), f = A.formula(cell), t = A.text(cell), nf = A.numberFormat(cell);
        var fill = A.fill(cell), note = A.note(cell);
        if (v !== null && v !== undefined && v !== "") { e.v = v; }
        if (typeof f === "string" && f.charAt(0) === "=" && f.length > 1 && f !== v) { e.f = f; }
        if (typeof t === "string" && t !== "" && t !== String(v)) { e.t = t; }
        if (!isGeneral(nf)) { e.nf = nf; }
        if (fill) { e.fill = fill; }
        if (note !== null && note !== undefined) { e.note = note; }
        if (e.v !== undefined || e.f !== undefined || e.nf !== undefined || e.fill !== undefined || e.note !== undefined) {
          out.cells.push(e);
        }
      }
    }
    return out;
  }

  function readWorkbook(book) {
    var out = { name: A.bookName(book), path: A.bookPath(book), sheets: [] };
    for (var i = 1; i <= A.sheetCount(book); i++) { out.sheets.push(readSheet(A.sheetAt(book, i))); }
    return out;
  }

  // ---- applying the answer
  function sheetByName(book, name) {
    for (var i = 1; i <= A.sheetCount(book); i++) {
      var s = A.sheetAt(book, i);
      if (A.sheetName(s) === name) { return s; }
    }
    throw new UserError("no sheet " + name);
  }

  function writeRows(sheet, rows) {
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].length; j++) {
        var v = rows[i][j];
        if (v !== null && v !== undefined && v !== "") { A.setValue(A.cell(sheet, i + 1, j + 1), v, false); }
      }
    }
  }

  function writeReport(book, op) {
    var lay = op.layout, sheet = A.addSheetAtEnd(book, op.name), i, k;
    writeRows(sheet, lay.rows);
    for (i = 0; i < lay.title_rows.length; i++) { A.setBold(A.cell(sheet, lay.title_rows[i], 1)); }
    for (i = 0; i < lay.head_rows.length; i++) {
      var hr = lay.head_rows[i];
      for (k = 1; k <= lay.rows[hr - 1].length; k++) {
        var h = A.cell(sheet, hr, k);
        A.setBold(h);
        A.setFill(h, lay.head_fill);
      }
    }
    for (i = 0; i < lay.fills.length; i++) { A.setFill(A.cell(sheet, lay.fills[i][0], lay.fills[i][1]), lay.fills[i][2]); }
    for (i = 0; i < lay.links.length; i++) {
      var l = lay.links[i], row = lay.rows[l[0] - 1], shown = row && row[l[1] - 1];
      A.addLink(sheet, A.cell(sheet, l[0], l[1]), l[2], shown === null || shown === undefined ? "" : String(shown));
    }
    for (i = 0; i < lay.wrap.length; i++) { A.setWrap(A.cell(sheet, lay.wrap[i][0], lay.wrap[i][1])); }
    for (i = 0; i < lay.widths.length; i++) { A.setColumnWidth(sheet, i + 1, lay.widths[i]); }
  }

  function applyOp(app, book, op) {
    switch (op.op) {
      case "value": A.setValue(A.cell(sheetByName(book, op.sheet), op.row, op.col), op.value, op.formula); break;
      case "fill": A.setFill(A.cell(sheetByName(book, op.sheet), op.row, op.col), op.rgb); break;
      case "number_format": A.setNumberFormat(A.cell(sheetByName(book, op.sheet), op.row, op.col), op.format); break;
      case "comment": A.setComment(A.cell(sheetByName(book, op.sheet), op.row, op.col), op.text); break;
      case "drop_sheet": A.deleteSheet(app, sheetByName(book, op.name)); break;
      case "report": writeReport(book, op); break;
      case "state": { var s = A.addSheetAtEnd(book, op.name); writeRows(s, op.rows); A.hideSheet(s); break; }
      default: throw new UserError("unknown op " + op.op);
    }
  }

  // Lift the password-less protection of the sheets the ops change (xlscore's templates lock their result
  // cells), apply every op, and protect them again with the same options — as the Excel button does.
  // A password is found before any cell changes.
  function applyAnswer(app, book, answer, lang) {
    var lifted = [], i;
    function putBack() {
      for (var j = 0; j < lifted.length; j++) {
        try { A.protect(lifted[j][0], lifted[j][1]); } catch (e) { /* leave it unprotected rather than fail */ }
      }
    }
    for (i = 0; i < (answer.unprotect || []).length; i++) {
      var name = answer.unprotect[i], sheet = sheetByName(book, name);
      if (!A.isProtected(sheet)) { continue; }
      var options = A.protectionOptions(sheet);
      try { A.unprotect(sheet); } catch (e) { /* a password */ }
      if (A.isProtected(sheet)) { putBack(); throw new UserError(say(lang, "protectedSheet", { sheet: name })); }
      lifted.push([sheet, options]);
    }
    try {
      for (i = 0; i < answer.ops.length; i++) { applyOp(app, book, answer.ops[i]); }
    } finally {
      putBack();
    }
  }

  // ---- the buttons
  var busy = false;

  function defaults(deps) {
    deps = deps || {};
    return {
      app: deps.app || A.application(),
      request: deps.request || httpRequest,
      alert: deps.alert || A.alert,
      config: deps.config || config()
    };
  }

  // Runs one button; resolves to the service's answer (or null) and never rejects: every failure is a box.
  function run(action, deps) {
    try { deps = defaults(deps); } catch (e) { deps = { app: null, request: httpRequest, alert: A.alert, config: config() }; }
    var lang = deps.config.lang, mode = MODES[action];
    function box(message) { try { deps.alert(message); } catch (e) { /* nothing left to tell */ } }
    if (!mode) { return Promise.resolve(null); }
    if (busy) { box(say(lang, "busy")); return Promise.resolve(null); }
    busy = true;
    var book = null;
    return Promise.resolve().then(function () {
      book = deps.app ? A.activeWorkbook(deps.app) : null;
      if (mode === "template") {
        return call(deps, "/v1/template", { api: API, lang: lang, name: "self-assessment",
                                           folder: book ? A.bookPath(book) : "" })
          .then(function (answer) { A.openWorkbook(deps.app, answer.path); return answer; });
      }
      if (!book) { throw new UserError(say(lang, "noBook")); }
      var doc = { api: API, lang: lang, workbook: readWorkbook(book) };
      return call(deps, "/v1/" + mode, doc).then(function (answer) {
        applyAnswer(deps.app, book, answer, lang);
        box(answer.message);
        return answer;
      });
    }).catch(function (err) {
      if (err instanceof Down) { box(say(lang, "down")); }
      else if (err instanceof UserError) { box(err.message); }
      else { box(say(lang, "failed", { reason: (err && (err.message || err.description)) || String(err) })); }
      return null;
    }).then(function (result) { busy = false; return result; });
  }

  // ribbon.xml callbacks
  function OnAddinLoad(ribbonUI) {
    try { A.rememberRibbon(A.application(), ribbonUI); } catch (e) { /* the ribbon works without it */ }
    return true;
  }
  function controlId(control) { try { return control && control.Id; } catch (e) { return ""; } }
  function OnXlscoreAction(control) {
    try { run(controlId(control)); } catch (e) { /* run() reports through message boxes; nothing may escape */ }
    return true;
  }
  function OnXlscoreLabel(control) {
    try { var id = controlId(control); return MODES[id] ? say(config().lang, id) : "xlscore"; } catch (e) { return "xlscore"; }
  }
  function OnXlscoreImage(control) { return IMAGES[controlId(control)] || ""; }

  return { API: API, run: run, readWorkbook: readWorkbook, applyAnswer: applyAnswer, httpRequest: httpRequest,
           say: say, OnAddinLoad: OnAddinLoad, OnXlscoreAction: OnXlscoreAction, OnXlscoreLabel: OnXlscoreLabel,
           OnXlscoreImage: OnXlscoreImage };
});
