"""Drives the playground page of a running glossa-server in headless Chromium (Selenium).

usage: check_playground.py BASE_URL SCREENSHOT_FOLDER WORD TEXT A B C

WORD is the neighbour query, TEXT the text to type into the tokenizer view, and A B C the
analogy "A is to B as C is to ?".

Types into the tokenizer view, runs a streamed generation, a neighbour query and an analogy,
and a classification, reading each result from the page and comparing it with what the JSON
API answers for the same request. Saves a screenshot of each view. Exits 1 with the reason
on the first mismatch.
"""

import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

base, shots = sys.argv[1], sys.argv[2]
word, text, analogy = sys.argv[3], sys.argv[4], sys.argv[5:8]
os.makedirs(shots, exist_ok=True)


def api(path, body):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def check(condition, message):
    if not condition:
        print("playground check failed: " + message, file=sys.stderr)
        driver.quit()
        sys.exit(1)


options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1100"]:
    options.add_argument(argument)
if os.environ.get("GLOSSA_CHROMIUM"):
    options.binary_location = os.environ["GLOSSA_CHROMIUM"]
driver = webdriver.Chrome(
    options=options, service=Service(os.environ.get("GLOSSA_CHROMEDRIVER", "/usr/bin/chromedriver")))
# The page redraws its lists as answers arrive: an element read during a redraw is retried. The
# limit is generous: under a loaded CI a debug build generates slowly (a wait ends when it holds).
wait = WebDriverWait(driver, 180, ignored_exceptions=(StaleElementReferenceException,))
driver.get(base + "/")
wait.until(lambda d: "models served" in d.find_element(By.ID, "status").text)


def shoot(section, name):
    driver.find_element(By.ID, section).screenshot(os.path.join(shots, name))


# The tokenizer view: typing re-tokenizes; each token's span carries its id and offsets.
model = driver.find_element(By.ID, "tokenize-model").get_attribute("value")
field = driver.find_element(By.ID, "tokenize-text")
field.send_keys(Keys.CONTROL, "a")
field.send_keys(Keys.DELETE)
field.send_keys(text)
expected = api("/v1/tokenize", {"model": model, "texts": [text]})["encodings"][0]
shown_ids = lambda d: [int(s.get_attribute("data-id")) for s in d.find_elements(By.CSS_SELECTOR, "#tokens .token")]
spanned = [i for i, (start, end) in zip(expected["ids"], expected["offsets"]) if end > start]
wait.until(lambda d: shown_ids(d) == spanned)
first = driver.find_elements(By.CSS_SELECTOR, "#tokens .token")[0]
check(f"id {spanned[0]}" in first.get_attribute("title"), "the first token's title lacks its id")
check("".join(s.text for s in driver.find_elements(By.CSS_SELECTOR, "#tokens .token")).replace(" ", "")
      == "".join(text[a:b] for (a, b) in expected["offsets"] if b > a).replace(" ", ""),
      "the coloured spans do not spell the tokens' text")
shoot("tokenizer-view", "playground-tokenizer.png")
print(f"tokenizer: {len(spanned)} tokens shown, as /v1/tokenize gives them")

# Generation, streamed: the text on the page is the one the same seed gives without streaming.
if driver.find_element(By.ID, "generate-model").get_attribute("value"):
    for field_id, value in [("max-tokens", "30"), ("seed", "7"), ("temperature", "0.8"), ("top-k", "40")]:
        element = driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)
    prompt = driver.find_element(By.ID, "prompt").get_attribute("value")
    driver.find_element(By.ID, "generate-go").click()
    wait.until(lambda d: "seed" in d.find_element(By.ID, "generate-status").text)
    streamed = driver.find_element(By.ID, "continuation").get_attribute("textContent")
    model = driver.find_element(By.ID, "generate-model").get_attribute("value")
    alone = api("/v1/generate", {"model": model, "prompt": prompt, "max_tokens": 30, "seed": 7,
                                 "temperature": 0.8, "top_k": 40, "suppress": ["<unk>"]})
    check(streamed == alone["text"], f"streamed {streamed!r} but the API gives {alone['text']!r}")
    shoot("generation-view", "playground-generation.png")
    print(f"generation: {alone['tokens']} tokens streamed onto the page, the same as without streaming")

# Embeddings: the neighbours listed and drawn, and an analogy.
if driver.find_element(By.ID, "similar-model").get_attribute("value"):
    model = driver.find_element(By.ID, "similar-model").get_attribute("value")
    box = driver.find_element(By.ID, "similar-word")
    box.clear()
    box.send_keys(word)
    driver.find_element(By.ID, "similar-go").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#neighbours li")) > 0)
    listed = [li.get_attribute("data-word") for li in driver.find_elements(By.CSS_SELECTOR, "#neighbours li")]
    answer = api("/v1/similar", {"model": model, "words": [word], "top": 10})["results"][0]
    check(listed == [n["word"] for n in answer["neighbours"]], f"neighbours {listed}")
    circles = driver.find_elements(By.CSS_SELECTOR, "#projection svg circle")
    check(len(circles) == len(listed) + 1, f"{len(circles)} points drawn for {len(listed)} neighbours")
    for field_id, value in zip(["analogy-a", "analogy-b", "analogy-c"], analogy):
        element = driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)
    driver.find_element(By.ID, "analogy-go").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#analogies li")) > 0)
    answers = api("/v1/analogy", {"model": model, "a": analogy[0], "b": analogy[1], "c": analogy[2], "top": 5})
    shown = [li.get_attribute("data-word") for li in driver.find_elements(By.CSS_SELECTOR, "#analogies li")]
    check(shown == [a["word"] for a in answers["answers"]], f"analogy answers {shown}")
    shoot("embedding-view", "playground-embeddings.png")
    print(f"embeddings: {len(listed)} neighbours of {word!r} listed and drawn; analogy answered")

# Classification: a bar per label, the probabilities the API gives.
if driver.find_element(By.ID, "classify-model").get_attribute("value"):
    driver.find_element(By.ID, "classify-go").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#classes .bar")) > 0)
    bars = driver.find_elements(By.CSS_SELECTOR, "#classes .prediction")
    texts = [line for line in driver.find_element(By.ID, "classify-text").get_attribute("value").split("\n") if line.strip()]
    check(len(bars) == len(texts), f"{len(bars)} predictions for {len(texts)} texts")
    shoot("classification-view", "playground-classification.png")
    print(f"classification: {len(texts)} texts, a bar per label")

driver.save_screenshot(os.path.join(shots, "playground.png"))
driver.quit()
print("playground: every view works in Chromium")
