// A small, faithful fake of the part of the WPS 表格 JS object model the add-in's adapter uses
// (xlscore/wps/addin/js/wps_adapter.js), as tests/fake_xlwings.py is for xlwings. Built from the state
// tests/wps_book.py reads from a workbook file, it behaves like the spreadsheet program where it
// matters: Value2 gives numbers as doubles and dates as serial numbers, a formula cell's Value2 is its
// cached result and Formula its text, "'=x" stores the text "=x", any change to a protected sheet
// throws, Unprotect with the wrong password throws, Comments are one per cell. Every change is logged.
"use strict";

const XL_NONE = -4142;

function key(r, c) { return r + "," + c; }

class FakeInterior {
  constructor(range) { this._r = range; }
  get _cell() { return this._r._sheet._get(this._r.Row, this._r.Column); }
  get ColorIndex() { return this._cell && this._cell.fill ? 1 : XL_NONE; }
  set ColorIndex(v) {
    if (v !== XL_NONE) { throw new Error("the fake only clears fills through ColorIndex"); }
    this._r._change("fill", null, (cell) => { delete cell.fill; });
  }
  get Pattern() { return this._cell && this._cell.fill ? 1 : XL_NONE; }
  get Color() {
    const f = this._cell && this._cell.fill;
    if (!f) { return 16777215; }
    const r = parseInt(f.substr(0, 2), 16), g = parseInt(f.substr(2, 2), 16), b = parseInt(f.substr(4, 2), 16);
    return r + g * 256 + b * 65536;
  }
  set Color(bgr) {
    const hex = (n) => n.toString(16).toUpperCase().padStart(2, "0");
    const rgb = hex(bgr & 255) + hex((bgr >> 8) & 255) + hex((bgr >> 16) & 255);
    this._r._change("fill", rgb, (cell) => { cell.fill = rgb; });
  }
}

class FakeComment {
  constructor(range) { this._r = range; }
  Text() { return this._r._sheet._get(this._r.Row, this._r.Column).note; }
  Delete() { this._r._change("delete_comment", null, (cell) => { delete cell.note; }); }
}

class FakeRange {
  constructor(sheet, row, col, rows, cols) {
    this._sheet = sheet; this.Row = row; this.Column = col;
    this.Rows = { Count: rows || 1 }; this.Columns = { Count: cols || 1 };
  }
  _single() { if (this.Rows.Count !== 1 || this.Columns.Count !== 1) { throw new Error("the fake reads single cells"); } }
  _cell() { this._single(); return this._sheet._get(this.Row, this.Column) || {}; }
  _change(what, value, fn) {
    this._single();
    this._sheet._guard();
    this._sheet._book.log.push([what, this._sheet.Name, this.Row, this.Column, value]);
    fn(this._sheet._cellFor(this.Row, this.Column));
    this._sheet._tidy(this.Row, this.Column);
  }
  get Value2() { const c = this._cell(); return c.value2 === undefined ? undefined : c.value2; }
  set Value2(v) {
    this._change("value", v, (cell) => {
      delete cell.formula; delete cell.text;
      if (typeof v === "string" && v.charAt(0) === "'") { cell.value2 = v.slice(1); }
      else if (typeof v === "string" && v.charAt(0) === "=" && v.length > 1) { cell.formula = v; cell.value2 = null; }
      else if (v === null || v === undefined || v === "") { delete cell.value2; }
      else { cell.value2 = typeof v === "number" ? Number(v) : v; }
    });
  }
  get Formula() {
    const c = this._cell();
    if (c.formula) { return c.formula; }
    return c.value2 === undefined || c.value2 === null ? "" : String(c.value2);
  }
  set Formula(f) { this._change("formula", f, (cell) => { cell.formula = f; cell.value2 = null; }); }
  get Text() {
    const c = this._cell();
    if (c.text !== undefined) { return c.text; }
    return c.value2 === undefined || c.value2 === null ? "" : String(c.value2);
  }
  get NumberFormat() { return this._cell().nf || "General"; }
  set NumberFormat(f) {
    this._change("number_format", f, (cell) => { if (f === "General") { delete cell.nf; } else { cell.nf = f; } });
  }
  get Interior() { return new FakeInterior(this); }
  get Comment() { return this._cell().note !== undefined ? new FakeComment(this) : null; }
  AddComment(text) {
    if (this._cell().note !== undefined) { throw new Error("the cell already has a comment"); }
    this._change("add_comment", text, (cell) => { cell.note = text; });
    return new FakeComment(this);
  }
  ClearContents() { this.Value2 = null; }
  _merge() {
    for (const m of this._sheet._merges) {
      if (m[0] <= this.Row && this.Row <= m[2] && m[1] <= this.Column && this.Column <= m[3]) { return m; }
    }
    return null;
  }
  get MergeCells() { return this._merge() !== null; }
  get MergeArea() {
    const m = this._merge();
    return m ? new FakeRange(this._sheet, m[0], m[1], m[2] - m[0] + 1, m[3] - m[1] + 1) : this;
  }
  get Font() {
    const self = this;
    return { get Bold() { return !!self._cell().bold; }, set Bold(v) { self._sheet._cellFor(self.Row, self.Column).bold = !!v; } };
  }
  get WrapText() { return !!this._cell().wrap; }
  set WrapText(v) { this._sheet._cellFor(this.Row, this.Column).wrap = !!v; }
  set ColumnWidth(w) { this._sheet.widths[this.Column] = w; }
}

const PROTECT_ARGS = ["Password", "DrawingObjects", "Contents", "Scenarios", "UserInterfaceOnly", "AllowFormattingCells",
  "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns", "AllowInsertingRows",
  "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
  "AllowUsingPivotTables"];

class FakeSheet {
  constructor(book, state) {
    this._book = book;
    this.Name = state.name;
    this._cells = new Map();
    for (const c of state.cells || []) {
      const cell = {};
      for (const k of ["value2", "formula", "text", "nf", "fill", "note"]) { if (c[k] !== undefined) { cell[k] = c[k]; } }
      this._cells.set(key(c.r, c.c), cell);
    }
    this._merges = (state.merges || []).map((m) => m.slice());
    this.ProtectContents = !!state.protected;
    this._password = state.password || "";
    this.Protection = Object.assign({ AllowFormattingCells: false, AllowFormattingColumns: true, AllowFormattingRows: true,
      AllowInsertingColumns: false, AllowInsertingRows: false }, state.protection || {});
    this.protectCalls = [];
    this.Visible = state.visible === undefined ? -1 : state.visible;
    this.links = [];
    this.widths = {};
    const self = this;
    this.Cells = { Item: (r, c) => new FakeRange(self, r, c) };
    this.Hyperlinks = { Add: (anchor, address, sub, tip, text) => { self.links.push([anchor.Row, anchor.Column, address, sub, text]); } };
  }
  _get(r, c) { return this._cells.get(key(r, c)); }
  _cellFor(r, c) { const k = key(r, c); if (!this._cells.has(k)) { this._cells.set(k, {}); } return this._cells.get(k); }
  _tidy(r, c) { const k = key(r, c); if (this._cells.has(k) && Object.keys(this._cells.get(k)).length === 0) { this._cells.delete(k); } }
  _guard() { if (this.ProtectContents) { throw new Error("The cell you are trying to change is on a protected sheet."); } }
  Unprotect(password) {
    if (this._password && password !== this._password) { throw new Error("The password you supplied is not correct."); }
    this.ProtectContents = false;
  }
  Protect(...args) {
    const call = {};
    PROTECT_ARGS.forEach((name, i) => { if (i < args.length) { call[name] = args[i]; } });
    this.protectCalls.push(call);
    this.ProtectContents = true;
    this._password = call.Password || "";
  }
  get UsedRange() {
    let r1 = Infinity, c1 = Infinity, r2 = 0, c2 = 0;
    const see = (r, c) => { r1 = Math.min(r1, r); c1 = Math.min(c1, c); r2 = Math.max(r2, r); c2 = Math.max(c2, c); };
    for (const k of this._cells.keys()) { const [r, c] = k.split(",").map(Number); see(r, c); }
    for (const m of this._merges) { see(m[0], m[1]); see(m[2], m[3]); }
    if (!r2) { return new FakeRange(this, 1, 1); }
    return new FakeRange(this, r1, c1, r2 - r1 + 1, c2 - c1 + 1);
  }
  Delete() {
    if (this._book.app && this._book.app.DisplayAlerts) { throw new Error("a confirmation box would stop the add-in"); }
    this._book.log.push(["delete_sheet", this.Name]);
    this._book._sheets.splice(this._book._sheets.indexOf(this), 1);
  }
  state() {
    const cells = [];
    for (const [k, cell] of this._cells) {
      const [r, c] = k.split(",").map(Number);
      const e = { r, c };
      for (const f of ["value2", "formula", "nf", "fill", "note"]) { if (cell[f] !== undefined && cell[f] !== null) { e[f] = cell[f]; } }
      if (Object.keys(e).length > 2) { cells.push(e); }
    }
    cells.sort((a, b) => a.r - b.r || a.c - b.c);
    return { name: this.Name, protected: this.ProtectContents, visible: this.Visible, cells, merges: this._merges };
  }
}

class FakeBook {
  constructor(model) {
    this.Name = model.name;
    this.Path = model.dir || "";
    this.log = [];
    this._sheets = model.sheets.map((s) => new FakeSheet(this, s));
    const self = this;
    this.Sheets = {
      get Count() { return self._sheets.length; },
      Item(i) {
        const s = typeof i === "number" ? self._sheets[i - 1] : self._sheets.find((x) => x.Name === i);
        if (!s) { throw new Error("no sheet " + i); }
        return s;
      },
      Add(before, after) {
        const s = new FakeSheet(self, { name: "Sheet" + (self._sheets.length + 1), cells: [] });
        const i = after ? self._sheets.indexOf(after) + 1 : (before ? self._sheets.indexOf(before) : 0);
        self._sheets.splice(i, 0, s);
        self.log.push(["add_sheet", s.Name]);
        return s;
      }
    };
  }
  sheet(name) { return this._sheets.find((s) => s.Name === name); }
  state() { return { name: this.Name, sheets: this._sheets.map((s) => s.state()) }; }
}

class FakeApp {
  constructor(book) {
    this.ActiveWorkbook = book || null;
    if (book) { book.app = this; }
    this.DisplayAlerts = true;
    this.opened = [];
    const self = this;
    this.Workbooks = { Open(path) { self.opened.push(path); return { Name: path }; } };
  }
}

module.exports = { FakeApp, FakeBook, FakeSheet, FakeRange, XL_NONE };
