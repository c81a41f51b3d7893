// Included by index.html: the add-in's scripts, in order. config.js is written by `xlscore wps install`
// (the service's port and this install's token); wps_adapter.js is every WPS object-model call;
// xlscore.js reads the workbook, calls the service and replays its answer through the adapter.
document.write("<script language='javascript' src='js/config.js'></script>");
document.write("<script language='javascript' src='js/wps_adapter.js'></script>");
document.write("<script language='javascript' src='js/xlscore.js'></script>");
