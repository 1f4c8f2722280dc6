/**
 * The few files and directories of catalog images that people look at with `kubectl exec`: the
 * top-level directories, /etc/os-release, /etc/passwd, nginx's default page and configuration.
 * Contents are those the public images ship (Debian bookworm for nginx/httpd, Alpine 3.21,
 * busybox 1.37, Ubuntu 24.04).
 */
import { lookupImage } from './images.js';
import type { ImageLayer } from './mounted-files.js';

/** The userland an image is built on; selects its files and the shell's wording. */
export type ImageFlavor = 'busybox' | 'alpine' | 'debian' | 'ubuntu' | 'nginx';

/**
 * The flavor of an image reference (Debian for anything not recognised).
 * @example imageFlavor('nginx:1.27-alpine') // 'alpine'
 */
export function imageFlavor(image: string): ImageFlavor {
  const hit = lookupImage(image);
  const repo = hit?.image.repository ?? '';
  if (repo.endsWith('/busybox')) return 'busybox';
  if (repo.endsWith('/alpine') || hit?.tag.includes('alpine')) return 'alpine';
  if (repo.endsWith('/ubuntu')) return 'ubuntu';
  if (repo.endsWith('/nginx')) return 'nginx';
  return 'debian';
}

const BUSYBOX_DIRS = ['/bin', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/sys', '/tmp', '/usr', '/var'];
const ALPINE_DIRS = ['/bin', '/dev', '/etc', '/home', '/lib', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var'];
const DEBIAN_DIRS = ['/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var'];

const NGINX_DIRS = ['/docker-entrypoint.d', '/etc/nginx', '/etc/nginx/conf.d', '/usr/share/nginx', '/usr/share/nginx/html', '/var/log/nginx'];

const isNginx = (image: string): boolean => lookupImage(image)?.image.repository.endsWith('/nginx') === true;

/** The top-level directories (and a few well-known ones) of an image. */
function rootDirs(image: string): string[] {
  const flavor = imageFlavor(image);
  const base = flavor === 'busybox' ? BUSYBOX_DIRS : flavor === 'alpine' ? ALPINE_DIRS : DEBIAN_DIRS;
  return [...base, '/usr/bin', '/usr/local', '/usr/local/bin', '/var/log', ...(isNginx(image) ? NGINX_DIRS : [])];
}

/**
 * The well-known files of an image: its flavor's, plus nginx's page and configuration in every
 * nginx variant (Debian or Alpine based).
 */
function imageFiles(image: string): Readonly<Record<string, string>> {
  const own = IMAGE_FILES[imageFlavor(image)];
  if (!isNginx(image)) return own;
  const { '/usr/share/nginx/html/index.html': index, '/usr/share/nginx/html/50x.html': page50x, '/etc/nginx/conf.d/default.conf': conf } = IMAGE_FILES.nginx;
  return { ...own, '/usr/share/nginx/html/index.html': index!, '/usr/share/nginx/html/50x.html': page50x!, '/etc/nginx/conf.d/default.conf': conf! };
}

const layers = new Map<string, ImageLayer>();

/** An image's files and directories as one layer, shared by all its containers (few variants exist). */
export function imageLayer(image: string): ImageLayer {
  const key = `${imageFlavor(image)}/${isNginx(image)}`;
  let layer = layers.get(key);
  if (!layer) {
    layer = { files: new Map(Object.entries(imageFiles(image))), dirs: new Set(rootDirs(image)) };
    layers.set(key, layer);
  }
  return layer;
}

const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

const ALPINE_OS_RELEASE = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.21.0
PRETTY_NAME="Alpine Linux v3.21"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`;

const UBUNTU_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`;

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

const PASSWD_BUSYBOX = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const PASSWD_DEBIAN = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';

/** Image files by flavor, absolute path → content. */
export const IMAGE_FILES: Readonly<Record<ImageFlavor, Readonly<Record<string, string>>>> = {
  busybox: { '/etc/passwd': PASSWD_BUSYBOX, '/etc/group': 'root:x:0:\nnobody:x:65534:\n' },
  alpine: { '/etc/os-release': ALPINE_OS_RELEASE, '/etc/passwd': PASSWD_BUSYBOX, '/etc/alpine-release': '3.21.0\n' },
  debian: { '/etc/os-release': DEBIAN_OS_RELEASE, '/etc/passwd': PASSWD_DEBIAN, '/etc/debian_version': '12.8\n' },
  ubuntu: { '/etc/os-release': UBUNTU_OS_RELEASE, '/etc/passwd': PASSWD_DEBIAN },
  nginx: {
    '/etc/os-release': DEBIAN_OS_RELEASE, '/etc/passwd': `${PASSWD_DEBIAN}nginx:x:101:101:nginx user:/nonexistent:/bin/false\n`, '/etc/debian_version': '12.8\n',
    '/usr/share/nginx/html/index.html': NGINX_INDEX, '/usr/share/nginx/html/50x.html': NGINX_50X, '/etc/nginx/conf.d/default.conf': NGINX_DEFAULT_CONF,
  },
};
