/// `/annotate`: a form that posts the VCF straight to S3 with a presigned POST policy.
enum AnnotatePage {
    static func render(action: String, fields: [(name: String, value: String)], limit: Int?, message: String, expires: Int) -> HTML {
        let hidden = fields.map { field -> HTML in "<input type=\"hidden\" name=\"\(field.name)\" value=\"\(field.value)\">\n" }
        let note: HTML
        let guardScript: HTML
        if let limit {
            note = "<p class=\"muted\">Free users may upload files up to \(limit / 1024) KB. <a href=\"/subscribe\">Upgrade to Premium</a> for larger files.</p>"
            // The policy's content-length-range enforces the limit at S3; this only spares the user a failed upload.
            guardScript = """
                <p id="size-error" class="flash danger" role="alert" hidden>\(message)</p>
                <script>
                (function(){var f=document.getElementById('upload'),i=document.getElementById('file'),b=document.getElementById('submit'),m=document.getElementById('size-error');
                function check(){var big=i.files.length>0&&i.files[0].size>\(limit);m.hidden=!big;b.disabled=big||i.files.length===0;if(big){alert(m.textContent);}return !big;}
                i.addEventListener('change',check);f.addEventListener('submit',function(e){if(!check()){e.preventDefault();}});})();
                </script>
                """
        } else {
            note = "<p class=\"muted\">Premium: no size limit.</p>"
            guardScript = ""
        }
        return """
            <h1>Annotate</h1>
            <form id="upload" class="card" method="post" action="\(action)" enctype="multipart/form-data" data-limit="\(limit ?? 0)">
            \(hidden)<label for="file">VCF file</label>
            <input type="file" id="file" name="file" accept=".vcf,.vcf.gz,text/plain,application/gzip" required>
            \(note)<p class="muted">This form is valid for \(expires) seconds; reload the page if it expires.</p>
            <button type="submit" id="submit">Annotate</button>
            </form>
            \(guardScript)
            """
    }
}

/// `/annotate/job`: the request is in.
enum SubmittedPage {
    static func render(jobID: String, fileName: String, queued: Bool) -> HTML {
        let state: HTML =
            queued
            ? "<p>Your request was received and will start shortly.</p>"
            : "<p>Your request was received; it is waiting to be sent to the annotator and will start as soon as it is.</p>"
        return """
            <h1>Annotation Request Received</h1>
            <section class="card">\(state)
            <p>Your annotation job of <strong>\(fileName)</strong> has been assigned ID <a href="/annotations/\(jobID)">\(jobID)</a>.</p>
            <p><a href="/annotations">See all your annotations</a></p></section>
            """
    }
}
