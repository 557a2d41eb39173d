// Bundles the dashboard into ../tidings/web/static (generated; not in git).
// Everything comes from node_modules: no CDN, no fonts, no tiles.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const out = new URL("../tidings/web/static/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { app: "src/app.js" },
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["es2020"],
  outdir: out,
  loader: { ".png": "dataurl", ".json": "json" },
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync("src/index.html", out + "index.html");
console.log(`dashboard built into ${out}`);
