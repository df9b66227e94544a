/* built by frontend/build.mjs */
