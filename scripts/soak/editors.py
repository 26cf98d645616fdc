"""Editors for scripts/soak.sh: create and update stories through the API until time is up, then read every
acknowledged write back. Prints one summary line; exits 1 if any write failed or was lost."""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

base, token, seconds, workers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
deadline = time.time() + seconds
lock = threading.Lock()
acknowledged = {}  # slug -> (title, body) as last acknowledged
errors = []
counts = {"creates": 0, "updates": 0, "conflicts": 0}


def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def editor(number):
    n = 0
    while time.time() < deadline:
        n += 1
        title = f"Soak story {number}-{n}"
        status, article = call("POST", "/api/v1/articles", {"title": title, "body": f"First text of {title}.", "publishedOn": "2026-03-01",
                                                           "categories": [f"Soak {number % 5}"], "sources": ["Soak Agency"], "status": "Published"})
        if status == 429:
            time.sleep(1)
            continue
        if status != 201:
            with lock:
                errors.append(f"create {status}: {str(article)[:200]}")
            continue
        slug = article["slug"]
        with lock:
            counts["creates"] += 1
            acknowledged[slug] = (title, article["bodyMarkdown"])
        body = f"Revised text of {title}."
        status, updated = call("PUT", f"/api/v1/articles/{slug}", {"body": body, "version": article["version"]})
        if status == 200:
            with lock:
                counts["updates"] += 1
                acknowledged[slug] = (title, updated["bodyMarkdown"])
        elif status == 409:
            with lock:
                counts["conflicts"] += 1
        elif status != 429:
            with lock:
                errors.append(f"update {status}: {str(updated)[:200]}")


threads = [threading.Thread(target=editor, args=(i,)) for i in range(workers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

lost = 0
for slug, (title, body) in acknowledged.items():
    status, article = call("GET", f"/api/v1/articles/{slug}")
    if status != 200 or article["title"] != title or article["bodyMarkdown"] != body:
        lost += 1
print(f"editors: creates={counts['creates']} updates={counts['updates']} conflicts={counts['conflicts']} errors={len(errors)} lost={lost}")
for error in errors[:5]:
    print("  " + error)
sys.exit(1 if errors or lost else 0)
