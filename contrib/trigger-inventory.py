#!/usr/bin/env python3
"""Rebuild docs/triggers.md: every trigger of Dokku's plugin-triggers list
and of the code, with where it is fired and which core plugin answers it.
Usage: contrib/trigger-inventory.py [path/to/plugin-triggers.md]"""
import re,os,sys
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
t=open(sys.argv[1] if len(sys.argv)>1 else '/work/shared/reference/dokku-docs/development/plugin-triggers.md').read()
docnames=[]
for p in re.split(r'^### ',t,flags=re.M)[1:]:
    n=p.split('\n',1)[0].strip().strip('`').split('`')[0].strip()
    if ' ' in n: continue
    docnames.append(n)
files=[]
for d in ['crates','plugins']:
    for dp,dn,fn in os.walk(os.path.join(root,d)):
        if '/tests' in dp or 'dokku-bench' in dp: continue
        for f in fn:
            if f.endswith('.rs'): files.append(os.path.join(dp,f))
src={}
for f in files:
    s=open(f).read()
    i=s.find('#[cfg(test)]')
    src[f]=s if i<0 else s[:i]
decl={}
internal=set()
stdin=set()
for f,s in src.items():
    for m in re.finditer(r'^\s+([A-Z][A-Za-z0-9]*) = "([a-z0-9-]+)", (Notify|Collect|Select)(.*)$',s,re.M):
        decl[m.group(2)]=(m.group(1),f,m.group(3))
        if 'internal = true' in m.group(4): internal.add(m.group(2))
        if ', stdin = ' in m.group(4): stdin.add(m.group(2))
    for m in re.finditer(r'impl Trigger for ([A-Za-z0-9]+) \{\s*const NAME: &.static str = "([^"]+)";\s*const DISPATCH: Dispatch = Dispatch::(\w+)',s):
        decl[m.group(2)]=(m.group(1),f,m.group(3))
def who(f):
    r=os.path.relpath(f,root).split('/')
    if r[0]=='plugins': return r[1]
    if r[1]=='dokku-trigger': return 'framework:'+r[-1].replace('.rs','')
    return r[1]
strfire={'install':'plugin','update':'plugin','dependencies':'plugin'}
rows=[]
for n in sorted(set(docnames)|set(decl)):
    if n not in decl:
        rows.append((n,'','','')); continue
    ty,f,k=decl[n]
    ans=set(); fire=set()
    for g,s in src.items():
        for line in s.split('\n'):
            # Bus::on_install (bus.rs) subscribes the install step it is handed.
            if ty=='Install' and re.search(r'\.on_install\(',line): ans.add(who(g)); continue
            if re.search(r'\bon::<\s*([\w:]+::)?'+ty+r'\s*,',line) and not g.endswith('src/bus.rs'): ans.add(who(g)); continue
            if re.search(r'(struct|for|impl) '+ty+r'\b',line): continue
            if re.search(r'\b'+ty+r'\s*\{',line) or re.search(r'\b'+ty+r'::(default|collect_all|merged_env\w*)\(',line):
                fire.add(who(g))
    if n in strfire: fire.add(strfire[n])
    rows.append((n,k,', '.join(sorted(fire)),', '.join(sorted(ans))))

notes={
'app-create':'helper for external plugins',
'app-destroy':'helper for external plugins; no confirmation',
'app-exists':'helper; fails with "App X does not exist"',
'app-list':'helper; `filtered` defaults to `true` (through user-auth-app)',
'app-json-is-valid':'fired on the staged app.json during core-post-extract; a failure refuses it',
'apps-is-locked':'ours, not in Dokku\'s list',
'nginx-log-path':'ours, not in Dokku\'s list (the computed access/error log path, for scheduler-proxy-logs)',
'app-rebuild':'ours, not in Dokku\'s list',
'builder-create-dokku-image':'herokuish build, before the stack image is checked',
'builder-dokku-image':'herokuish build; first non-empty answer replaces the stack image',
'builder-herokuish-allowed':'the computed `allowed` property; not fired by core (Dokku: unit tests only)',
'builder-image-is-cnb':'answered from the image\'s builder label (builder-pack)',
'builder-image-is-herokuish':'answered from the image\'s builder label (builder-herokuish)',
'buildpack-stack-name':'no core buildpacks plugin answers it here',
'caddy-template-source':'for the community caddy proxy; not fired by core',
'haproxy-template-source':'for the community haproxy proxy; not fired by core',
'openresty-template-source':'for the community openresty proxy; not fired by core',
'traefik-template-source':'for the community traefik proxy; not fired by core',
'vector-template-source':'`logs:vector-start`, when no vector container exists: the first answer naming a file replaces the built-in compose template',
'certs-force':'no core answer (as in Dokku); ports/nginx ask it',
'certs-get':'path of `server.crt` / `server.key`, empty without a certificate',
'certs-remove':'helper for external plugins',
'certs-set':'helper for external plugins',
'config-unset':'ours, not in Dokku\'s list (`[--global] APP KEY [restart]`)',
'cron-entries':'asked by the cron plugin',
'cron-get-property':'answered by the cron plugin',
'dependencies':'`plugin:install-dependencies`, by name in a fresh `plugn` process',
'deployed-app-repository':'asked before the tag and repo; prefixed to the repo; the registry server only while push-on-release is on',
'deployed-app-image-tag':'the last pushed tag-version while push-on-release is on, else nothing (latest)',
'deployed-app-image-repo':'registry image-repo, else the rendered image-repo-template, else dokku/<app>',
'post-release-builder':'registry pushes the released image when push-on-release is on',
'docker-args-build':'deprecated form, asked with docker-args-process-build',
'docker-args-deploy':'deprecated form, asked with docker-args-process-deploy',
'docker-args-run':'deprecated form, asked with docker-args-process-run',
'docker-options-remove':'ours, not in Dokku\'s list',
'docker-options-volumes':'ours, not in Dokku\'s list',
'domains-disable':'helper; rebuilds the proxy config when `RESTART_APP` is true',
'domains-enable':'helper; rebuilds the proxy config when `RESTART_APP` is true',
'git-from-archive':'`git:from-archive`, after the git plugin\'s own part',
'git-from-directory':'after the git plugin committed and deployed a directory',
'git-from-image':'`git:from-image`, after the git plugin\'s own part; user/email default to Dokku, automated@dokku.sh',
'git-revision':'sha of the deploy branch',
'install':'`plugin:install`; one plugin\'s failure is reported, not fatal for another plugin\'s install',
'network-build-config':'nginx-vhosts\' proxy-build-config, for an nginx-proxied app with network records (network-config-exists); nothing to write for docker-local',
'network-clear-config':'nginx-vhosts\' proxy-clear-config, for an nginx-proxied app; nothing to clear for docker-local',
'network-config-exists':'`true` when `IP.web.1` and `PORT.web.1` exist',
'network-get-ipaddr':'inspects the container on the app\'s initial network',
'network-get-static-listeners':'the `static-web-listener` of `web`',
'nginx-pre-reload':'a failure fails the build-config (and the deploy), as under Dokku',
'ports-get-available':'a free port from the kernel (above 1024)',
'ports-get-property':'`map` or `map-detected`',
'post-container-create':'deploy and one-off run containers (attached ones through the on_created hook of run_attached), herokuish build container',
'post-registry-login':'after credentials the registry accepted are stored; external plugins get DOCKER_REGISTRY_PASS',
'post-stack-set':'buildpacks:set-property of `stack` (app or --global)',
'pre-build-dockerfile':'deprecated: fired only when a plugin answers it, with Dokku\'s warning',
'post-build-dockerfile':'deprecated: fired only when a plugin answers it, with Dokku\'s warning',
'pre-release-dockerfile':'deprecated: fired only when a plugin answers it, with Dokku\'s warning',
'pre-build-lambda':'declared; there is no lambda builder',
'post-build-lambda':'declared; there is no lambda builder',
'pre-release-lambda':'declared; there is no lambda builder',
'pre-restore':'`ps:restore --all`, no arguments',
'procfile-extract-image':'ours, not in Dokku\'s list',
'proxy-get-property':'ours, not in Dokku\'s list',
'ps-get-property':'ours, not in Dokku\'s list',
'receive-branch':'`git-hook`, for a pushed branch other than the deploy branch, when a plugin answers it (else the warning)',
'resource-get-property':'answered by the resource plugin',
'scheduler-cron-write':'`ps:start`, `ps:stop`, `apps:destroy` (and the cron plugin after its own changes)',
'scheduler-post-deploy-process':'after every container of a process type passed its checks',
'scheduler-proxy-logs':'nginx:access-logs / nginx:error-logs; docker-local tails the file `nginx-log-path` names',
'scheduler-storage-exec':'storage:exec; docker-local runs the container (entry read through `storage-entry-get`); flags after the image, before `--`',
'storage-entry-get':'ours, not in Dokku\'s list (a storage entry\'s JSON, for scheduler-storage-exec)',
'scheduler-uses-host-cron':'scheduler-docker-local answers for itself',
'storage-create':'`storage:create`, `storage:set`; the entry as JSON on stdin',
'storage-destroy':'`storage:destroy`, after the confirmation; the entry as JSON on stdin',
'storage-status':'storage:wait for entries of other schedulers (none answers here: no k3s); the entry as JSON on stdin',
'uninstall':'`plugin:uninstall`; failures are reported and the plugin removed anyway',
'update':'`plugin:update`; as install',
'user-auth':'every command; root\'s `plugin:disable`/`plugin:uninstall` go on when it fails',
'builds-generate-id':'not in plugin-triggers.md (builds plugin)',
'builds-record-start':'not in plugin-triggers.md (builds plugin)',
'builds-record-finalize':'not in plugin-triggers.md (builds plugin)',
'user-auth-app':'`apps:list` and `app-list`, only when some plugin answers it',
}
out=['# Triggers','',
'Every trigger of Dokku\'s plugin-triggers list, and the few of our own, with',
'where this implementation fires it and which core plugin answers it. The',
'table is built from the code by `contrib/trigger-inventory.py` (the',
'`trigger!` declarations, the `bus.on::<T>` registrations and the places',
'that build a `T`); "framework" is `crates/dokku-trigger`',
'(`framework:release` answers for the three builders through their',
'`BuilderDef`, `framework:report` for every report). An empty cell is a gap',
'only where the notes say so: many triggers exist for external plugins to',
'answer (`post-*`, `pre-*`) or to call (helpers such as `app-exists`), as',
'with Dokku.','',
'External plugins are run for every trigger whether or not a core plugin',
'answers it, with Dokku\'s argument order; a missing trailing argument is',
'empty, then the declared default (see `dokku-shell-api.md`, section d).',
'The exceptions are the triggers declared internal-only (`internal = true`),',
'ours and not Dokku\'s: only core plugins answer them. Triggers declared',
'with a payload (`stdin = field`) hand each external plugin its own copy',
'of it on stdin; the others give an empty stdin when an answer is read',
'and share ours otherwise.',
'`crates/dokku-cli/tests/it/trigger_spy.rs` checks the lines a plugin',
'answering every trigger sees during an app\'s life, and that the',
'internal-only names never reach it.','',
'| Trigger | Kind | Fired by | Answered by | Notes |','|---|---|---|---|---|']
for n,k,f,a in rows:
    if not k:
        k='-'
    note=notes.get(n,'')
    if n in internal:
        note='internal-only (never run for external plugins); '+note if note else 'internal-only (never run for external plugins)'
    out.append(f"| `{n}` | {k.lower() if k!='-' else 'not declared'} | {f or '-'} | {a or '-'} | {note} |")
open(os.path.join(root,'docs/triggers.md'),'w').write('\n'.join(out)+'\n')
