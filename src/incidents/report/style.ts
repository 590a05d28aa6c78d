// The report's style sheet: plain, printable on A4 or Letter, readable in black and white.
export const REPORT_CSS = `
body { font: 14px/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; max-width: 1100px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; border-bottom: 1px solid #999; margin-top: 28px; } h3 { font-size: 14px; }
.subtitle { font-style: italic; margin: 0; } .small, small { font-size: 12px; color: #333; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } table.summary th { width: 22%; }
table.timeline { font-size: 12px; } table.determinations { font-size: 11px; } table.determinations td { white-space: nowrap; } table.hashes { font-size: 10px; } table.hashes td { padding: 1px 4px; }
tr.uncertain td { background: #fff3cd; } tr.crossing td, tr[class^="alert crossing"] td { font-weight: bold; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border: 1px solid #333; }
svg.map { max-width: 100%; height: auto; border: 1px solid #777; }
svg.map .ground { fill: #f6f3ea; } svg.map .boundary { fill: none; stroke: #000; stroke-width: 2.5; }
svg.map .fence { fill: none; stroke: #7a4b00; stroke-width: 2; } svg.map .fence.illustrative { stroke-dasharray: 8 5; }
svg.map .track { fill: none; stroke-width: 1.6; opacity: 0.8; } svg.map .fix { stroke: #fff; stroke-width: 0.8; }
svg.map .fix.uncertain { stroke: #c00; stroke-width: 1.6; } svg.map .crossing { stroke: #c00; stroke-width: 2.5; fill: none; }
svg.map text { font: 11px "DejaVu Sans", Arial, sans-serif; } svg.map .time { fill: #222; font-size: 10px; }
svg.map .territory { font-size: 16px; font-weight: bold; fill: #777; letter-spacing: 1px; }
svg.map .scale path { fill: none; stroke: #000; stroke-width: 2; } svg.map .backdrop { fill: #fff; opacity: 0.85; } svg.map .north path { fill: #000; }
ul.legend { list-style: none; padding: 0; font-size: 12px; } ul.legend li { display: inline-block; margin-right: 18px; }
.key { display: inline-block; width: 26px; height: 0; vertical-align: middle; margin-right: 6px; }
.key.boundary { border-top: 3px solid #000; } .key.fence { border-top: 2px solid #7a4b00; } .key.fence.illustrative { border-top-style: dashed; }
.key.crossing { width: auto; height: auto; color: #c00; font-weight: bold; }
.verdict { font-weight: bold; padding: 6px 8px; } .verdict.ok { background: #e5f5e0; } .verdict.bad { background: #fde0dd; }
dl.checkpoint { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 12px; } dl.checkpoint dd { margin: 0; word-break: break-all; }
pre { font-size: 11px; background: #f4f4f4; padding: 6px; }
@media print { body { margin: 0; max-width: none; } section { break-inside: auto; } tr { break-inside: avoid; } }
`;
