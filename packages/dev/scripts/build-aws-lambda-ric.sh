#!/bin/sh
# Builds the native addon of aws-lambda-ric (devDependency, used by test/conformance-ric.test.ts).
# Its install script is not run by `pnpm install` (allowBuilds: false in pnpm-workspace.yaml) because it needs
# cmake, autoconf, automake, libtool, make, g++, python3, and the Node.js headers — node-gyp downloads them
# unless they are installed locally (/usr/include/node, as the Debian/NodeSource nodejs package does).
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
ric=$(node -e "console.log(require('fs').realpathSync(require('path').join(process.argv[1], 'node_modules/aws-lambda-ric')))" "$here")
cd "$ric"
if [ -f dist/rapid-client.node ]; then
  echo "aws-lambda-ric: native addon already built ($ric/dist/rapid-client.node)"
  exit 0
fi
BUILD=1 sh scripts/preinstall.sh
gyp=$(node -e "console.log(require.resolve('node-gyp/bin/node-gyp.js', { paths: [process.argv[1]] }))" "$ric")
prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -f "$prefix/include/node/node.h" ]; then
  node "$gyp" rebuild --nodedir="$prefix"
else
  node "$gyp" rebuild
fi
mkdir -p dist
cp build/Release/rapid-client.node dist/
echo "aws-lambda-ric: built $ric/dist/rapid-client.node"
