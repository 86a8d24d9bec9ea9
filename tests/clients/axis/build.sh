#!/usr/bin/env bash
# Builds the Apache Axis 1.4 client of the client matrix from a WSDL the server served.
#
#   tests/clients/axis/build.sh WSDL_FILE OUT_DIR [MAIN.java [MORE.java ...]]
#
# OUT_DIR/gen gets the stubs of `WSDL2Java -W` (no "wrapped" mode, the style of the legacy
# MTurk Java SDK) in package turkstand.axis, OUT_DIR/classes the compiled stubs and the named
# sources of tests/clients/axis (default Matrix.java and Scenario.java), and OUT_DIR/matrix a
# launcher of the first one's class taking the program's arguments. Each WSDL version gets its
# own stub types, hence its own scenario (Matrix.java for 2014-08-15, Matrix2007.java for
# 2007-06-21). Needs Debian's libaxis-java and a JDK (javac); the jars are under /usr/share/java.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wsdl="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
shift 2
sources=("$@")
[[ ${#sources[@]} -gt 0 ]] || sources=(Matrix.java Scenario.java)
main="$(basename "${sources[0]}" .java)"
jars=/usr/share/java
cp=""
for j in axis axis-jaxrpc axis-saaj commons-discovery commons-logging wsdl4j javax.activation javax.mail; do
  [[ -f "$jars/$j.jar" ]] || { echo "axis/build.sh: $jars/$j.jar is missing (apt-get install libaxis-java)" >&2; exit 1; }
  cp="$cp${cp:+:}$jars/$j.jar"
done

rm -rf "$out/gen" "$out/classes"
mkdir -p "$out/gen" "$out/classes"
java -cp "$cp" org.apache.axis.wsdl.WSDL2Java -W -o "$out/gen" -p turkstand.axis "$wsdl" >"$out/wsdl2java.log" 2>&1 ||
  { cat "$out/wsdl2java.log" >&2; exit 1; }
find "$out/gen" -name '*.java' >"$out/sources.txt"
for f in "${sources[@]}"; do echo "$here/$f" >>"$out/sources.txt"; done
# The generated code predates generics and Java 9's deprecations; its warnings are noise.
javac -nowarn -encoding UTF-8 -cp "$cp" -d "$out/classes" @"$out/sources.txt" >"$out/javac.log" 2>&1 ||
  { cat "$out/javac.log" >&2; exit 1; }

cat >"$out/matrix" <<EOF
#!/bin/sh
exec java -cp "$cp:$out/classes" $main "\$@"
EOF
chmod +x "$out/matrix"
