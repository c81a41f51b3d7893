// Every call into the WPS 表格 (et) JS object model the add-in makes, one small function each, so a
// corrected API name is a one-line change here. The names follow Kingsoft's type declarations
// (npm et-jsapi-declare, lib.et.d.ts) and the Excel object model they mirror; docs/wps.md says which
// were checked where, and which could only be checked against the fake object model of the tests.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.XlscoreAdapter = api; }
})(this, function () {
  "use strict";
  var XL_NONE = -4142;              // xlColorIndexNone / xlNone
  var XL_SHEET_VERY_HIDDEN = 2;     // XlSheetVisibility.xlSheetVeryHidden
  var PROTECTION_OPTIONS = [        // Worksheet.Protect's arguments after UserInterfaceOnly, in order
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
    "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
    "AllowSorting", "AllowFiltering", "AllowUsingPivotTables"];

  function hex2(n) { var s = n.toString(16).toUpperCase(); return s.length < 2 ? "0" + s : s; }

  return {
    // ---- application and workbook
    application: function () { return (typeof window !== "undefined" && window.Application) || null; },
    activeWorkbook: function (app) { return app.ActiveWorkbook || null; },
    bookName: function (book) { return book.Name; },
    bookPath: function (book) { return book.Path || ""; },      // "" for a workbook never saved
    openWorkbook: function (app, path) { return app.Workbooks.Open(path); },
    alert: function (message) { alert(message); },            // WPS shows window.alert as a message box
    rememberRibbon: function (app, ribbonUI) {                 // as the wpsjs templates do in OnAddinLoad
      if (app && typeof app.ribbonUI !== "object") { app.ribbonUI = ribbonUI; }
    },

    // ---- sheets
    sheetCount: function (book) { return book.Sheets.Count; },
    sheetAt: function (book, i) { return book.Sheets.Item(i); },        // 1-based
    sheetName: function (sheet) { return sheet.Name; },
    sheetVisible: function (sheet) { return sheet.Visible; },
    addSheetAtEnd: function (book, name) {
      var sheets = book.Sheets;
      var sheet = sheets.Add(undefined, sheets.Item(sheets.Count));
      sheet.Name = name;
      return sheet;
    },
    hideSheet: function (sheet) { sheet.Visible = XL_SHEET_VERY_HIDDEN; },
    deleteSheet: function (app, sheet) {
      var before = app.DisplayAlerts;
      app.DisplayAlerts = false;                 // no "delete this sheet?" question
      try { sheet.Delete(); } finally { app.DisplayAlerts = before; }
    },

    // ---- protection
    isProtected: function (sheet) { return !!sheet.ProtectContents; },
    protectionOptions: function (sheet) {
      var p = sheet.Protection, out = [];
      for (var i = 0; i < PROTECTION_OPTIONS.length; i++) {
        var v;
        try { v = !!p[PROTECTION_OPTIONS[i]]; } catch (e) { v = false; }
        out.push(v);
      }
      return out;
    },
    unprotect: function (sheet) { sheet.Unprotect(""); },
    protect: function (sheet, options) {
      var args = ["", true, true, true, false].concat(options || []);   // Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, Allow…
      sheet.Protect.apply(sheet, args);
    },

    // ---- ranges
    usedBounds: function (sheet) {
      var u = sheet.UsedRange;
      return { row: u.Row, col: u.Column, rows: u.Rows.Count, cols: u.Columns.Count };
    },
    cell: function (sheet, row, col) { return sheet.Cells.Item(row, col); },
    value2: function (cell) { return cell.Value2; },
    formula: function (cell) { return cell.Formula; },
    text: function (cell) { return cell.Text; },
    numberFormat: function (cell) { return cell.NumberFormat; },
    fill: function (cell) {                      // "RRGGBB" or null (no fill)
      var interior = cell.Interior;
      if (interior.ColorIndex === XL_NONE || interior.Pattern === XL_NONE) { return null; }
      var bgr = interior.Color;                  // a long: blue * 65536 + green * 256 + red
      if (typeof bgr !== "number") { return null; }
      return hex2(bgr & 255) + hex2((bgr >> 8) & 255) + hex2((bgr >> 16) & 255);
    },
    note: function (cell) { var c = cell.Comment; return c ? c.Text() : null; },
    mergeArea: function (cell) {                 // [row1, col1, row2, col2] or null
      if (!cell.MergeCells) { return null; }
      var m = cell.MergeArea;
      return [m.Row, m.Column, m.Row + m.Rows.Count - 1, m.Column + m.Columns.Count - 1];
    },

    setValue: function (cell, value, formula) {
      if (formula) { cell.Formula = value; }
      else if (value === null || value === undefined || value === "") { cell.ClearContents(); }
      else if (typeof value === "string" && value.charAt(0) === "=") { cell.Value2 = "'" + value; }   // text, as typed
      else { cell.Value2 = value; }
    },
    setFill: function (cell, rgb) {
      if (!rgb) { cell.Interior.ColorIndex = XL_NONE; return; }
      var r = parseInt(rgb.substr(0, 2), 16), g = parseInt(rgb.substr(2, 2), 16), b = parseInt(rgb.substr(4, 2), 16);
      cell.Interior.Color = r + g * 256 + b * 65536;
    },
    setNumberFormat: function (cell, format) { cell.NumberFormat = format; },
    setComment: function (cell, text) {
      var c = cell.Comment;
      if (c) { c.Delete(); }
      if (text) { cell.AddComment(text); }
    },
    setBold: function (cell) { cell.Font.Bold = true; },
    setWrap: function (cell) { cell.WrapText = true; },
    setColumnWidth: function (sheet, col, width) { sheet.Cells.Item(1, col).ColumnWidth = width; },
    addLink: function (sheet, cell, target, text) {     // target "#'sheet'!A1": a place in this workbook
      sheet.Hyperlinks.Add(cell, "", target.replace(/^#/, ""), "", text);
    }
  };
});
