// next.config.mjs: what `next build` needs to leave hooksig (a native addon) alone.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Load hooksig with Node's own require at run time instead of bundling it: its loader picks
  // the platform's .node file (@hooksig/linux-x64-gnu, ...), which webpack cannot bundle.
  serverExternalPackages: ['hooksig'],
  // The build type-checks the TypeScript routes (tsconfig.json: strict); linting is not part of
  // this example.
  eslint: { ignoreDuringBuilds: true },
}

export default nextConfig
