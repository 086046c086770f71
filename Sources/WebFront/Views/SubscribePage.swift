/// `/subscribe`: the card form (Stripe.js's card element, tokenized in the browser: the card never
/// reaches GAS), and the confirmation.
enum SubscribePage {
    static func render(publishableKey: String, stripeJSURL: String, csrf: String, email: String) -> HTML {
        """
        <h1>Subscribe to Premium</h1>
        <section class="card">
        <p>Premium members upload files of any size, and their results stay in S3 for download: nothing is ever archived.
        Your results archived so far are restored as soon as you subscribe.</p>
        <form id="subscribe" method="post" action="/subscribe" data-key="\(publishableKey)">
        <input type="hidden" name="csrf_token" value="\(csrf)">
        <input type="hidden" name="stripe_token" id="stripe-token" value="">
        <p class="muted">Billed to \(email).</p>
        <label for="card">Card</label><div id="card" class="card-element"></div>
        <p id="card-error" class="flash danger" role="alert" hidden></p>
        <button type="submit" id="subscribe-button">Subscribe</button>
        </form>
        </section>
        <script src="\(stripeJSURL)"></script>
        <script>
        (function(){var f=document.getElementById('subscribe'),t=document.getElementById('stripe-token'),e=document.getElementById('card-error'),b=document.getElementById('subscribe-button');
        var stripe=Stripe(f.getAttribute('data-key')),card=stripe.elements().create('card');card.mount('#card');
        f.addEventListener('submit',function(ev){if(t.value){return;}ev.preventDefault();b.disabled=true;e.hidden=true;
        stripe.createToken(card).then(function(r){if(r.error){e.textContent=r.error.message;e.hidden=false;b.disabled=false;return;}t.value=r.token.id;f.submit();});});})();
        </script>
        """
    }

    static func succeeded(customerID: String) -> HTML {
        """
        <h1>Subscription Succeeded</h1>
        <section class="card"><p>Thank you for subscribing to GAS Premium. Your Stripe customer id is <strong>\(customerID)</strong>.</p>
        <p>Any results that were archived are being restored; their pages say when they are back.</p>
        <p><a href="/annotations">See your annotations</a></p></section>
        """
    }

    static func unavailable() -> HTML {
        "<h1>Subscribe to Premium</h1><section class=\"card\"><p>Subscriptions are not available on this site.</p></section>"
    }
}
