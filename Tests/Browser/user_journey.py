"""The whole lifecycle of GAS through the web front in headless Chromium, on the local stack.

Starts `gas-local up` (moto, every function, the identity provider, localstripe and gas-web) on
one cold store, then as a new free user: logs in, edits the profile, is stopped before uploading
an oversized file, has a forged oversized POST refused by the local S3, uploads the sample, watches
the job to COMPLETED, reads the details and the log, downloads the result and compares it byte for
byte with gas-annotate's output, sees the result archived after the retention, has a declined card
refused, subscribes with the 4242 test card through (localstripe's) Stripe.js, sees the result
being restored and downloads the same bytes again. A second user who subscribes during the
retention never has the result archived; a third gets 403 on every route of the first user's job.
Exits non-zero naming the first step that failed.

Usage: .venv-web/bin/python Tests/Browser/user_journey.py [--binaries .build/debug] [--cold-store s3-glacier|glacier-vault]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RETENTION = 15
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)
    print(f"browser: ok: {what}", flush=True)


def start_stack(binaries, cold_store):
    process = subprocess.Popen(
        [os.path.join(binaries, "gas-local"), "up", "--retention", str(RETENTION), "--cold-store", cold_store], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    urls = {}
    deadline = time.time() + 120
    for line in process.stdout:
        if time.time() > deadline:
            break
        found = re.match(r"gas-local: (web front|identity provider) (http://\S+)", line)
        if found:
            urls[found.group(1)] = found.group(2)
        if line.startswith("gas-local: up;"):
            break
    if "web front" not in urls or "identity provider" not in urls:
        process.kill()
        raise Failed("gas-local up did not print the web front and identity provider URLs")
    # Keep draining the stack's output into a file so it never blocks on a full pipe.
    path = os.path.join(tempfile.gettempdir(), f"gas-browser-{os.getpid()}.log")

    def drain():
        with open(path, "w") as log:
            for rest in process.stdout:
                log.write(rest)
                log.flush()

    threading.Thread(target=drain, daemon=True).start()
    return process, urls["web front"], urls["identity provider"], path


def new_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def log_in(driver, web, idp, sub, name, email):
    requests.put(f"{idp}/users/{sub}", json={"email": email, "email_verified": True, "name": name}, timeout=10).raise_for_status()
    driver.delete_all_cookies()
    driver.get(web + "/annotations")
    driver.find_element(By.ID, "subject-input").send_keys(sub)
    authorize = driver.find_element(By.XPATH, "//button[normalize-space()='Authorize']")
    check(click_until(driver, authorize, lambda d: d.current_url.startswith(web)), f"{sub} logs in at the identity provider")


def click_until(driver, element, condition, timeout=15):
    """Clicks `element` and waits until `condition(driver)` holds (the next page has loaded); False on timeout."""
    element.click()
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
        return True
    except TimeoutException:
        return False


def subscribe(driver, web, card):
    """Fills the card element (localstripe's fake: plain inputs, no iframes) and subscribes."""
    driver.get(web + "/subscribe")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#card input"))
    for name, value in {"number": card, "exp_month": "12", "exp_year": "30", "cvc": "123", "postal_code": "60637"}.items():
        driver.find_element(By.CSS_SELECTOR, f"#card input[placeholder={name}]").send_keys(value)
    # The card form itself has a (hidden) error box, so wait for the form to be replaced by the answer page.
    form = driver.find_element(By.ID, "subscribe")
    driver.find_element(By.ID, "subscribe-button").click()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            form.is_enabled()
        except WebDriverException:  # stale, or gone while the next page loads: it was replaced
            break
        time.sleep(0.1)
    else:
        return False
    while time.time() < deadline:
        try:
            if driver.execute_script("return document.readyState") == "complete" and driver.find_elements(By.TAG_NAME, "h1"):
                return True
        except WebDriverException:
            pass
        time.sleep(0.1)
    return False


def upload_and_wait(driver, web, sample):
    driver.get(web + "/annotate")
    driver.find_element(By.ID, "file").send_keys(sample)
    check(click_until(driver, driver.find_element(By.ID, "submit"), lambda d: "Annotation Request Received" in d.page_source),
          "the upload lands on the submitted page")
    job = re.search(r'href="/annotations/([0-9a-f-]{36})"', driver.page_source).group(1)
    seen = statuses_until(http_session(driver), f"{web}/annotations/{job}", {"COMPLETED", "FAILED"}, 90, lambda: None)
    check(seen and seen[-1] == "COMPLETED", f"the job completed ({' -> '.join(seen)})")
    return job


def wait_for_page(driver, url, text, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        driver.get(url)
        if text in driver.page_source:
            return True
        time.sleep(1)
    return False


def http_session(driver):
    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    return session


def pause_annotator(binaries, paused):
    """Stops (or resumes) the local annotate function's process, as a busy annotator would be."""
    pids = subprocess.run(["pgrep", "-f", os.path.join(binaries, "AnnotateHandler")], capture_output=True, text=True).stdout.split()
    for pid in pids:
        os.kill(int(pid), signal.SIGSTOP if paused else signal.SIGCONT)
    return len(pids)


def statuses_until(session, url, wanted, timeout, on_running):
    """Polls the details page as fast as a script can and answers the statuses it showed, in order."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = re.findall(r'class="status (\w+)"', session.get(url, timeout=10).text)
        if found and (not seen or seen[-1] != found[0]):
            seen.append(found[0])
            if found[0] == "RUNNING":
                on_running()
        if found and found[0] in wanted:
            return seen
        time.sleep(0.01)
    return seen


def status_shown(driver):
    found = re.findall(r'class="status (\w+)"', driver.page_source)
    return found[0] if found else None


def wait_for_refresh_to(driver, status, timeout):
    """Waits, without reloading, until the page itself shows `status` (it refreshes while the job can change)."""
    deadline = time.time() + timeout
    while time.time() < deadline and status_shown(driver) != status:
        time.sleep(0.2)
    return status_shown(driver) == status


def journey(driver, web, idp, binaries, work):
    alice = f"alice-{uuid.uuid4().hex[:8]}"
    log_in(driver, web, idp, alice, "Alice Tester", f"{alice}@example.org")
    check("/profile" in driver.current_url, "a first login lands on the profile")
    check(driver.find_element(By.NAME, "name").get_attribute("value") == "Alice Tester", "the name comes from the id_token")
    check(driver.find_element(By.NAME, "email").get_attribute("value") == f"{alice}@example.org", "so does the email")
    check("Free" in driver.page_source, "the plan is Free")
    cookie = next(c for c in driver.get_cookies() if c["name"] == "gas_session")
    check(cookie["httpOnly"] and cookie.get("sameSite") == "Lax", "the session cookie is HttpOnly and SameSite=Lax")

    name = driver.find_element(By.NAME, "name")
    name.clear()
    name.send_keys("<script>alert(1)</script>")
    driver.find_element(By.NAME, "institution").send_keys("University of Chicago")
    save = driver.find_element(By.XPATH, "//button[normalize-space()='Save']")
    check(click_until(driver, save, lambda d: "successfully updated" in d.page_source), "the profile saves")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in driver.page_source and "<script>alert(1)" not in driver.page_source,
          "a script in the name is shown as text")

    big = os.path.join(work, "big.vcf")
    with open(big, "w") as out:
        out.write("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for position in range(1, 6000):
            out.write(f"chr1\t{position * 10}\t.\tA\tG\t50\tPASS\t.\n")
    driver.get(web + "/annotate")
    driver.find_element(By.ID, "file").send_keys(big)
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.accept()
    except NoAlertPresentException:
        text = ""
    check("exceeds the 150KB limit for free users" in text, f"an oversized file is refused in the page with the free-user wording ({text!r})")
    check(not driver.find_element(By.ID, "submit").is_enabled(), "and the submit button is disabled")

    # The same form, forged: a script posts the oversized file straight to S3.
    action = driver.find_element(By.ID, "upload").get_attribute("action")
    fields = [(i.get_attribute("name"), i.get_attribute("value")) for i in driver.find_elements(By.CSS_SELECTOR, "#upload input[type=hidden]")]
    with open(big, "rb") as body:
        forged = requests.post(action, data=fields, files={"file": ("big.vcf", body)}, allow_redirects=False, timeout=30)
    check(forged.status_code == 400 and "<Code>EntityTooLarge</Code>" in forged.text, "a forged oversized POST is refused by the local S3")

    sample = os.path.join(ROOT, "samples", "sample.vcf")
    driver.get(web + "/annotate")
    driver.find_element(By.ID, "file").send_keys(sample)
    # The local annotator is far quicker than a real one: hold it so each status stays long enough to see.
    check(pause_annotator(binaries, True) >= 1, "the local annotate function is held")
    submit = driver.find_element(By.ID, "submit")
    check(click_until(driver, submit, lambda d: "Annotation Request Received" in d.page_source), "the upload lands on the submitted page")
    job = re.search(r'href="/annotations/([0-9a-f-]{36})"', driver.page_source).group(1)
    check(click_until(driver, driver.find_element(By.LINK_TEXT, job), lambda d: status_shown(d) is not None), "the job's details open")
    check(status_shown(driver) == "PENDING", "the details show the job PENDING")
    poller = http_session(driver)

    def hold_running():
        # Hold the annotator mid-job; if it finished first, there is no RUNNING left to see.
        pause_annotator(binaries, True)
        if re.findall(r'class="status (\w+)"', poller.get(f"{web}/annotations/{job}", timeout=10).text)[:1] == ["RUNNING"]:
            check(wait_for_refresh_to(driver, "RUNNING", 15), "the details page shows RUNNING by itself")
        pause_annotator(binaries, False)

    pause_annotator(binaries, False)
    seen = statuses_until(poller, f"{web}/annotations/{job}", {"COMPLETED", "FAILED"}, 90, hold_running)
    seen = ["PENDING"] + [status for status in seen if status != "PENDING"]
    check(seen in (["PENDING", "RUNNING", "COMPLETED"], ["PENDING", "COMPLETED"]), f"the job went {' -> '.join(seen)}")
    check(wait_for_refresh_to(driver, "COMPLETED", 15), "the details page shows COMPLETED by itself")
    check("Complete Time" in driver.page_source and "download" in driver.page_source, "the details show the completion and a download")
    driver.get(web + "/annotations")
    check(driver.page_source.count("<tr><td>") == 1, "one job, none from the forged upload")
    driver.get(f"{web}/annotations/{job}")
    check(click_until(driver, driver.find_element(By.LINK_TEXT, "view"), lambda d: "Annotation Log for Job" in d.page_source), "the log opens")

    expected = os.path.join(work, "expected.annot.vcf")
    subprocess.run([os.path.join(binaries, "gas-annotate"), "--refgene", os.path.join(ROOT, "samples", "refGene.txt"),
                    "--known", os.path.join(ROOT, "samples", "known_variants.vcf"), sample, expected], check=True, capture_output=True)
    downloaded = http_session(driver).get(f"{web}/annotations/{job}/result", timeout=30)
    with open(expected, "rb") as file:
        check(downloaded.status_code == 200 and downloaded.content == file.read(), "the downloaded result is gas-annotate's output, byte for byte")

    check(wait_for_page(driver, f"{web}/annotations/{job}", "upgrade to Premium for download", RETENTION + 60),
          "after the retention the result is archived for a free user")

    check(subscribe(driver, web, "4000000000000002") and "Your card was refused: Your card was declined." in driver.page_source,
          "a declined card is refused with Stripe's reason")
    driver.get(f"{web}/annotations/{job}")
    check("upgrade to Premium for download" in driver.page_source, "and the user stays free with the result archived")
    check(subscribe(driver, web, "4242424242424242") and "Subscription Succeeded" in driver.page_source, "the 4242 test card subscribes")
    check(re.search(r"cus_\w+", driver.page_source) is not None, "the confirmation shows the Stripe customer id")
    driver.get(f"{web}/annotations/{job}")
    check("being restored" in driver.page_source or "being expedited restored" in driver.page_source,
          "right after the upgrade the details say the result is being restored")
    check(wait_for_page(driver, f"{web}/annotations/{job}", f'href="/annotations/{job}/result">download', 120), "the restored result can be downloaded")
    restored = http_session(driver).get(f"{web}/annotations/{job}/result", timeout=30)
    check(restored.status_code == 200 and restored.content == downloaded.content, "the restored download is the same bytes as before archiving")

    carol = f"carol-{uuid.uuid4().hex[:8]}"
    log_in(driver, web, idp, carol, "Carol Early", f"{carol}@example.org")
    early = upload_and_wait(driver, web, sample)
    check(subscribe(driver, web, "4242424242424242") and "Subscription Succeeded" in driver.page_source, "a second user subscribes during the retention")
    time.sleep(RETENTION + 10)
    driver.get(f"{web}/annotations/{early}")
    check(f'href="/annotations/{early}/result">download' in driver.page_source, "and that result is never archived")

    bob = f"bob-{uuid.uuid4().hex[:8]}"
    log_in(driver, web, idp, bob, "Bob Other", f"{bob}@example.org")
    driver.get(web + "/annotations")
    check("No annotations found." in driver.page_source, "a third user sees none of the others' jobs")
    session = http_session(driver)
    for suffix in ["", "/log", "/input", "/result"]:
        driver.get(f"{web}/annotations/{job}{suffix}")
        answer = session.get(f"{web}/annotations/{job}{suffix}", allow_redirects=False, timeout=10)
        check("Not authorized" in driver.page_source and answer.status_code == 403, f"another user gets 403 on /annotations/<id>{suffix}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binaries", default=os.path.join(ROOT, ".build", "debug"))
    parser.add_argument("--cold-store", default="s3-glacier", choices=["s3-glacier", "glacier-vault"])
    arguments = parser.parse_args()
    binaries = arguments.binaries
    process, web, idp, log = start_stack(binaries, arguments.cold_store)
    print(f"browser: local stack up (web front {web}); its log is {log}", flush=True)
    driver = new_browser()
    started = time.time()
    try:
        with tempfile.TemporaryDirectory() as work:
            journey(driver, web, idp, binaries, work)
        print(f"browser: the whole lifecycle ({arguments.cold_store}) checked out in {time.time() - started:.0f} s", flush=True)
        return 0
    except Exception as failure:  # a Failed check, or Selenium not finding what the page should have
        print(f"browser: FAILED: {failure} (page: {driver.current_url}; stack log: {log})", file=sys.stderr, flush=True)
        return 1
    finally:
        driver.quit()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
