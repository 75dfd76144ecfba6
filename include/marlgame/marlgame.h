/*
 * libmarlgame — umbrella header. Include this, link with
 * `pkg-config --cflags --libs marlgame`.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_MARLGAME_H
#define MARLGAME_MARLGAME_H

#include "core.h"
#include "rng.h"
#include "counts.h"
#include "options.h"
#include "game.h"
#include "games.h"
#include "policy.h"
#include "sampler.h"
#include "metrics.h"
#include "solver.h"
#include "mpg.h"
#include "population.h"
#include "meanfield.h"
#include "nplayer.h"
#include "aggregative.h"
#include "global_local.h"
#include "alternating.h"

#endif /* MARLGAME_MARLGAME_H */
