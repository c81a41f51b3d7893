// replaced by `xlscore wps install`: where the xlscore service listens and this install's token
var XLSCORE_CONFIG = {"port": 47815, "token": "", "lang": "zh", "version": "0.1.0"};
if (typeof module === "object" && module.exports) { module.exports = XLSCORE_CONFIG; }
