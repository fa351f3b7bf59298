#!/usr/bin/env bash
# A test-pattern HLS live stream made by ffmpeg (Debian's package; infra/test.sh installs it):
# testsrc video, H.264, 1-second segments, a sliding playlist of 6, old segments deleted.
#
#   infra/test-stream.sh <hls-root> [stream-name]            writes <hls-root>/<stream>/index.m3u8
#   infra/test-stream.sh --nginx <dir> <listen> <secret> <allowed-origin> [stream-name]
#        also writes <dir>/nginx.conf from infra/nginx/confday-hls.conf.template (HLS root
#        <dir>/hls) and runs nginx in the foreground beside ffmpeg; Ctrl-C stops both.
#
# Then set the room's stream to http://<listen>/hls/<stream>/index.m3u8 and CONFDAY_STREAM_SECRET
# to <secret>. Runs until stopped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: apt-get install -y ffmpeg (infra/test.sh does it)" >&2; exit 1; }

encode() { # <hls-root> <stream>
  mkdir -p "$1/$2"
  exec ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i "testsrc=size=320x180:rate=10" \
    -c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -g 10 -keyint_min 10 -sc_threshold 0 -an \
    -f hls -hls_time 1 -hls_list_size 6 -hls_flags delete_segments+independent_segments \
    -hls_segment_filename "$1/$2/seg-%05d.ts" "$1/$2/index.m3u8"
}

if [ "${1:-}" = "--nginx" ]; then
  [ $# -ge 5 ] || { echo "usage: $0 --nginx <dir> <listen> <secret> <allowed-origin> [stream]" >&2; exit 2; }
  dir="$(mkdir -p "$2" && cd "$2" && pwd)"; listen="$3"; secret="$4"; origin="$5"; stream="${6:-room-a}"
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$dir/tmp" "$dir/hls"
  sed -e "s|@PREFIX@|$dir|g" -e "s|@LISTEN@|$listen|g" -e "s|@HLS_ROOT@|$dir/hls|g" \
      -e "s|@STREAM_SECRET@|$secret|g" -e "s|@ALLOWED_ORIGIN@|$origin|g" \
      "$here/nginx/confday-hls.conf.template" > "$dir/nginx.conf"
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
  nginx_pid=$!
  "$0" "$dir/hls" "$stream" &
  ffmpeg_pid=$!
  trap 'kill $nginx_pid $ffmpeg_pid 2>/dev/null || true' INT TERM EXIT
  echo "Serving http://$listen/hls/<sig>/<expires>/$stream/index.m3u8 (stop with Ctrl-C)"
  wait -n
  exit $?
fi

[ $# -ge 1 ] || { echo "usage: $0 <hls-root> [stream]" >&2; exit 2; }
encode "$1" "${2:-room-a}"
