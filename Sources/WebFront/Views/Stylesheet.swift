/// The site's one stylesheet, served from `/static/gas.css` (no CDN: it works offline).
enum Stylesheet {
    static let css = """
        :root{--fg:#1d2430;--muted:#5b6473;--line:#d9dee6;--bg:#f6f8fb;--accent:#1f5fbf;--ok:#1d7a46;--warn:#9a6500;--bad:#b3261e}
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{background:#fff;border-bottom:1px solid var(--line)}nav{max-width:64rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
        nav a{color:var(--fg);text-decoration:none;margin-right:1rem}nav .brand{font-weight:700;color:var(--accent)}nav .links{display:flex;flex-wrap:wrap;align-items:center}
        main{max-width:64rem;margin:1.5rem auto;padding:0 1rem}footer{max-width:64rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.85rem}
        h1{font-size:1.6rem;margin:.2rem 0 1rem}a{color:var(--accent)}
        .card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.2rem;margin-bottom:1rem}
        table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
        th{font-weight:600;color:var(--muted)}dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.4rem 1rem;margin:0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
        label{display:block;margin:.8rem 0 .2rem;font-weight:600}input[type=text],input[type=email],input[type=file]{display:block;width:100%;max-width:30rem;padding:.5rem;border:1px solid var(--line);border-radius:.35rem;font:inherit;background:#fff}
        button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1.1rem;border:0;border-radius:.35rem;background:var(--accent);color:#fff;font:inherit;cursor:pointer;text-decoration:none}
        button:disabled{opacity:.5;cursor:not-allowed}button.link{background:none;color:var(--fg);padding:0;margin:0}form.inline{display:inline}
        .flash{padding:.6rem .9rem;border-radius:.35rem;background:#e8f0fd;border:1px solid #c5d7f7}.flash.success{background:#e6f4ec;border-color:#b9dfc8}
        .flash.warning{background:#fff4df;border-color:#f0d7a6}.flash.danger{background:#fde9e7;border-color:#f3c1bb}
        .status{font-weight:600;white-space:nowrap;overflow-wrap:normal}.status.COMPLETED{color:var(--ok)}.status.FAILED{color:var(--bad)}.status.RUNNING,.status.PENDING{color:var(--warn)}
        .muted{color:var(--muted)}pre{background:#fff;border:1px solid var(--line);border-radius:.35rem;padding:1rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
        .hero{text-align:center;padding:2rem 0}.hero h1{font-size:2rem}
        @media (max-width:40rem){th.optional,td.optional{display:none}dl{grid-template-columns:1fr}dt{margin-top:.5rem}}
        """
}
