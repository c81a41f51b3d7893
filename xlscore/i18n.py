"""User-facing strings of the CLI in Chinese (default) and English (``--lang en``).

Finding messages live with their checks (``xlscore.checks.catalogue``); this module holds the rest.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # input errors (one line, exit 2)
    "file-missing": ("{path}: 文件不存在", "{path}: no such file"),
    "file-is-dir": ("{path}: 这是一个文件夹，不是工作簿（批量检查请用 xlscore batch）",
                    "{path}: is a directory, not a workbook (use xlscore batch for folders)"),
    "file-xls": ("{path}: 不支持旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后再试",
                 "{path}: old .xls format is not supported; save it as .xlsx in Excel/WPS and retry"),
    "file-csv": ("{path}: CSV 文本文件不是工作簿，无法读取表格结构，请使用 .xlsx",
                 "{path}: a CSV file is not a workbook; use .xlsx"),
    "file-ext": ("{path}: 不支持的文件类型 {ext}，请使用 .xlsx 或 .xlsm",
                 "{path}: unsupported file type {ext}; use .xlsx or .xlsm"),
    "file-encrypted": ("{path}: 工作簿设有打开密码（已加密），请先在 Excel/WPS 中取消密码",
                       "{path}: the workbook is password-protected (encrypted); remove the password in Excel/WPS first"),
    "file-corrupt": ("{path}: 文件已损坏或不是有效的 xlsx 工作簿（{reason}）",
                     "{path}: the file is damaged or not a valid xlsx workbook ({reason})"),
    "file-too-big": ("{path}: 工作簿解压后约 {mb} MB，超过上限 {limit} MB，未读取（疑似压缩炸弹；确需处理请设环境变量 XLSCORE_MAX_UNPACKED_MB）",
                     "{path}: the workbook unpacks to about {mb} MB, over the {limit} MB limit; not read (a zip bomb? "
                     "set XLSCORE_MAX_UNPACKED_MB to allow it)"),
    "file-zip-ratio": ("{path}: 部件 {part} 的压缩比为 {ratio}:1，超过上限 {limit}:1，未读取（疑似压缩炸弹；确需处理请设环境变量 XLSCORE_MAX_RATIO）",
                       "{path}: part {part} is compressed {ratio}:1, over the {limit}:1 limit; not read (a zip bomb? "
                       "set XLSCORE_MAX_RATIO to allow it)"),
    "file-too-many-parts": ("{path}: 工作簿包含 {n} 个部件，超过上限 {limit}，未读取",
                            "{path}: the workbook has {n} parts, over the limit of {limit}; not read"),
    "file-too-many-cells": ("{path}: 工作表中的单元格超过 {limit} 个，未读取（确需处理请设环境变量 XLSCORE_MAX_CELLS）",
                            "{path}: the worksheets hold more than {limit} cells; not read (set XLSCORE_MAX_CELLS to allow it)"),
    "file-unreadable": ("{path}: 无法读取（{reason}）", "{path}: cannot be read ({reason})"),
    "file-no-form": ("{path}: 工作簿中没有找到可识别的绩效表（自评表、目标表或评分表）",
                     "{path}: no recognisable performance form (self-assessment, targets or scoring) in the workbook"),
    "targets-no-form": ("{path}: 工作簿中没有找到绩效目标表（应有“一级指标 … 指标值 …”表头，且没有“实际完成值”列）",
                        "{path}: no performance-target sheet (绩效目标表) in the workbook (a 一级指标 … 指标值 … header "
                        "without an actual-value column)"),
    "output-failed": ("{path}: 无法写入结果（{reason}）；原文件未改动",
                      "{path}: cannot write the result ({reason}); the original file is untouched"),
    "sheet-protected": ("工作表「{sheet}」设有保护密码，xlscore 无法写入结果；请先撤销工作表保护（审阅 → 撤销工作表保护）",
                        "sheet '{sheet}' is protected with a password; unprotect it (Review → Unprotect Sheet) so xlscore can write"),
    "output-locked": ("{path}: 文件可能正被 Excel/WPS 打开，请关闭后重试；原文件未改动",
                      "{path}: the file may be open in Excel/WPS; close it and retry; the original is untouched"),
    "output-readonly": ("{path}: 文件是只读的，xlscore 不会改写它；原文件未改动（需要结果请用 -o 另存，或先取消只读属性）",
                        "{path}: the file is read-only, so xlscore does not replace it; untouched (use -o to write "
                        "elsewhere, or clear the read-only flag)"),
    "output-open-in-editor": ("{path}: 工作簿正在 Excel/WPS/LibreOffice 中打开（有锁文件 {lock}），请关闭后重试；原文件未改动"
                              "（确认未打开时可加 --force）",
                              "{path}: the workbook is open in Excel/WPS/LibreOffice (lock file {lock}); close it and retry; "
                              "untouched (add --force if it is not open)"),
    "output-number-too-big": ("{path}: 工作表「{sheet}」{cell} 中的数字有 {digits} 位，超出 Excel 能保存的范围，无法写回；原文件未改动（请改正该单元格）",
                              "{path}: the number in {sheet}!{cell} has {digits} digits, beyond what Excel can store, so the "
                              "workbook cannot be written back; untouched (correct that cell)"),
    "output-dir-readonly": ("{path}: 文件夹 {folder} 不可写，无法写入结果；原文件未改动",
                            "{path}: the folder {folder} is not writable; nothing written, the original is untouched"),
    "output-not-file": ("{path}: 不是普通文件，无法写入结果；原文件未改动", "{path}: not a regular file; nothing written"),
    "interrupted": ("已中断；原文件未改动（已写完的文件除外），未留下临时文件",
                    "interrupted; the original is untouched (unless already written), no temp file left"),
    # usage errors
    "template-unknown": ("未知的模板 {name}（可用：{names}）", "unknown template {name} (available: {names})"),
    "template-from-needs-self": ("--from 只用于生成自评表（self-assessment），不能用于 {name}",
                                 "--from only pre-fills a self-assessment form, not {name}"),
    "template-exists": ("{path}: 文件已存在，为免覆盖已填写的内容未写入（确需覆盖请加 --force）",
                        "{path}: already exists; not overwritten (use --force to replace it)"),
    "template-rows": ("--rows 应在 0 到 500 之间", "--rows must be between 0 and 500"),
    "template-suffix": ("{path}: 模板须保存为 .xlsx 文件", "{path}: a template must be saved as .xlsx"),
    "output-folder-missing": ("{path}: 输出文件夹不存在", "{path}: the output folder does not exist"),
    "template-wrote": ("已生成{title}：{path}", "wrote the {title}: {path}"),
    "template-prefilled": ("已从 {source} 带入 {n} 个申报指标（浅灰色、已锁定）", "pre-filled {n} declared indicators from {source} (grey, locked)"),
    "profile-unknown": ("未知的规则配置 {name}（可用：{known}，或一个 .toml 文件路径）",
                        "unknown rule profile {name} (shipped: {known}, or a path to a .toml file)"),
    "profile-invalid": ("规则配置 {name} 无效：{reason}", "rule profile {name} is invalid: {reason}"),
    "dask-missing": ("--scheduler 需要 Dask：pip install \"xlscore[dask]\"", "--scheduler needs Dask: pip install \"xlscore[dask]\""),
    "folder-missing": ("{path}: 文件夹不存在", "{path}: no such folder"),
    "folder-empty": ("{path}: 文件夹中没有 .xlsx / .xlsm 文件", "{path}: no .xlsx / .xlsm files in the folder"),
    "batch-summary": ("{files} 个文件（{cached} 个来自缓存），{forms} 张表，{errors} 个错误，{warnings} 个警告，{unreadable} 个文件无法读取，用时 {seconds:.1f} 秒",
                      "{files} files ({cached} from cache), {forms} forms, {errors} errors, {warnings} warnings, {unreadable} unreadable, {seconds:.1f} s"),
    "batch-wrote": ("汇总已写入 {path}", "summary written to {path}"),
    "addin-platform": ("Excel 加载项只能安装在装有 Excel 的 Windows 或 macOS 上（WPS 和网页版 Excel 不支持）",
                       "the Excel add-in installs only where Excel runs: Windows or macOS (not WPS, not Excel on the web)"),
    "addin-xlwings-missing": ("需要 xlwings {version}：pip install \"xlscore[addin]\"",
                              "xlwings {version} is needed: pip install \"xlscore[addin]\""),
    "addin-xlwings-version": ("已安装 xlwings {found}，加载项需要 {version}：pip install \"xlwings=={version}\"",
                              "xlwings {found} is installed; the add-in needs {version}: pip install \"xlwings=={version}\""),
    "addin-failed": ("xlwings 安装加载项失败：{reason}", "xlwings could not install the add-in: {reason}"),
    "addin-done-install": ("已安装 xlscore 加载项：重启 Excel 后可见“xlscore”选项卡", "xlscore add-in installed: restart Excel to see the xlscore tab"),
    "addin-other-interpreter": ("注意：xlwings 配置文件 ~/.xlwings/xlwings.conf 指定的 Python 是 {found}，不是安装了 xlscore 的 {python}；"
                                "请把其中的 INTERPRETER 改为后者（或删除该文件后重新运行 xlscore addin install）",
                                "Note: ~/.xlwings/xlwings.conf names {found} as the Python, not {python} where xlscore is installed; "
                                "change its INTERPRETER line (or delete the file and run xlscore addin install again)"),
    "addin-done-remove": ("已移除 xlscore 加载项", "xlscore add-in removed"),
    "serve-port-busy": ("端口 {port} 已被占用：xlscore 服务可能已在运行；或用 xlscore serve --port 其他端口"
                        "（并用 xlscore wps install --port 同一端口重新安装加载项）",
                        "port {port} is in use: the service may already be running; or use xlscore serve --port N "
                        "(and reinstall the add-in with xlscore wps install --port N)"),
    "wps-done-install": ("已安装 WPS 加载项：{folder}\n重启 WPS 表格后可见“xlscore”选项卡；使用前先运行 xlscore serve",
                         "WPS add-in installed: {folder}\nrestart WPS Spreadsheets to see the xlscore tab; run xlscore serve first"),
    "wps-no-wps": ("注意：没有找到 WPS 的用户文件夹 {path}（WPS 可能尚未安装，或从未运行过）；加载项已写入，安装并运行一次 WPS 后重启即可看到",
                   "Note: WPS's user folder {path} does not exist (WPS may not be installed, or never ran); the add-in is in place and "
                   "appears once WPS has run and is restarted"),
    "wps-done-remove": ("已移除 WPS 加载项（{n} 项）", "WPS add-in removed ({n} items)"),
    "wps-nothing-to-remove": ("没有找到已安装的 xlscore WPS 加载项：{folder}", "no xlscore WPS add-in installed in {folder}"),
    "wps-publish-bad": ("{path} 不是有效的 publish.xml（{reason}）；为免破坏其他加载项未改动它",
                        "{path} is not a valid publish.xml ({reason}); left untouched so other add-ins keep working"),
    "wps-write-failed": ("无法写入 {path}（{reason}）", "cannot write {path} ({reason})"),
    "state-damaged": ("{path}: 警告：隐藏的 xlscore_state 工作表有 {n} 处已损坏或被改动，已忽略（相应单元格保持现状，未恢复原值）",
                      "{path}: warning: {n} entries of the hidden xlscore_state sheet are damaged or altered and were ignored "
                      "(those cells are left as they are)"),
    # progress and results
    "wrote-inplace": ("已写回 {path}", "wrote {path}"),
    "wrote-beside": ("已写入 {path}（原文件含 openpyxl 无法保留的内容：{features}，为免丢失未覆盖原文件）",
                     "wrote {path} (the original holds features openpyxl cannot keep: {features}; it was not overwritten)"),
    "wrote-link": ("已写回 {target}（{path} 是指向它的符号链接，链接保持不变）",
                   "wrote {target} ({path} is a symlink to it; the link is kept)"),
    "wrote-out": ("已写入 {path}", "wrote {path}"),
    "summary": ("{path}: {forms} 张表，{errors} 个错误，{warnings} 个警告，{infos} 条提示",
                "{path}: {forms} forms, {errors} errors, {warnings} warnings, {infos} notes"),
    "sheet-line": ("  [{sheet}] {kind} {name} 总分 {total} 等级 {grade}", "  [{sheet}] {kind} {name} total {total} grade {grade}"),
    "infos-hidden": ("（提示未列出，加 -v 显示）", " (notes not listed; -v shows them)"),
    "rule-ref": ("〔规则{n}〕", " [rule {n}]"),
    "rule-tag": ("〔规则{n}〕", "[rule {n}] "),
    "rules-legend": ("规则{profile}：", "Rules{profile}:"),
    "check-total": ("合计：{files} 个文件（{unreadable} 个无法读取），{forms} 张表，{errors} 个错误，{warnings} 个警告",
                    "total: {files} files ({unreadable} unreadable), {forms} forms, {errors} errors, {warnings} warnings"),
    "sheet-skipped": ("  [{sheet}] 未找到表格，已跳过", "  [{sheet}] no form found, skipped"),
    "finding-line": ("    {cell} {severity} {code}: {message}", "    {cell} {severity} {code}: {message}"),
    "severity-error": ("错误", "error"),
    "severity-warning": ("警告", "warning"),
    "severity-info": ("提示", "info"),
    "kind-self_assessment": ("自评表", "self-assessment"),
    "kind-targets": ("绩效目标表", "targets"),
    "kind-scoring": ("评分表", "scoring"),
    "kind-unknown": ("未识别", "unknown"),
}


def t(msg_id: str, lang: str = "zh", **params) -> str:
    pair = MESSAGES.get(msg_id)
    if pair is None:
        return msg_id + (" " + repr(params) if params else "")
    text = pair[0] if lang == "zh" else pair[1]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
