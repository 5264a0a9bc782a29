//! Minimum-cost flow by the primal-dual method: Dijkstra on reduced costs finds the length
//! of the shortest augmenting paths, then a blocking flow (Dinic) pushes flow along all of
//! them at once. Costs are small integers here, so there are few phases. The flow amount is
//! free: augmentation stops when no path has negative cost (the most profitable flow).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

const INF: i64 = i64::MAX / 4;

#[derive(Debug, Clone)]
struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
}

#[derive(Debug, Clone)]
pub struct Network {
    arcs: Vec<Arc>,
    out: Vec<Vec<usize>>,
}

impl Network {
    pub fn new(nodes: usize) -> Self {
        Network {
            arcs: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    /// Adds an arc and returns its index (its residual twin is `index ^ 1`).
    pub fn add_arc(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, cap, cost });
        self.arcs.push(Arc {
            to: from,
            cap: 0,
            cost: -cost,
        });
        self.out[from].push(id);
        self.out[to].push(id + 1);
        id
    }

    /// Flow on an arc added with `add_arc`.
    pub fn flow(&self, arc: usize) -> i64 {
        self.arcs[arc ^ 1].cap
    }

    /// Sends flow from `s` to `t` while it lowers the total cost; returns the total cost.
    pub fn min_cost_flow(&mut self, s: usize, t: usize) -> i64 {
        let n = self.out.len();
        let mut potential = self.initial_potentials(s);
        let mut total = 0i64;
        let mut dist = vec![INF; n];
        let mut level = vec![0u32; n];
        let mut cursor = vec![0usize; n];
        loop {
            self.dijkstra(s, &potential, &mut dist);
            if dist[t] >= INF {
                break;
            }
            let dt = dist[t];
            for v in 0..n {
                potential[v] = potential[v].saturating_add(dist[v].min(dt));
            }
            // Cost of a shortest path in real costs.
            let path_cost = potential[t] - potential[s];
            if path_cost >= 0 {
                break;
            }
            // Blocking flows on the admissible (zero reduced cost) residual arcs.
            loop {
                if !self.levels(s, t, &potential, &mut level) {
                    break;
                }
                cursor.iter_mut().for_each(|c| *c = 0);
                let pushed = self.push(s, t, INF, &potential, &level, &mut cursor);
                if pushed == 0 {
                    break;
                }
                total += pushed * path_cost;
                let mut more = pushed;
                while more > 0 {
                    more = self.push(s, t, INF, &potential, &level, &mut cursor);
                    total += more * path_cost;
                }
            }
        }
        total
    }

    fn reduced(&self, from: usize, arc: usize, potential: &[i64]) -> i64 {
        let a = &self.arcs[arc];
        a.cost + potential[from] - potential[a.to]
    }

    /// Shortest distances with negative costs allowed (no negative cycles at the start).
    fn initial_potentials(&self, s: usize) -> Vec<i64> {
        let n = self.out.len();
        let mut dist = vec![INF; n];
        let mut queued = vec![false; n];
        let mut queue = VecDeque::new();
        dist[s] = 0;
        queue.push_back(s);
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for &id in &self.out[u] {
                let a = &self.arcs[id];
                if a.cap > 0 && dist[u] + a.cost < dist[a.to] {
                    dist[a.to] = dist[u] + a.cost;
                    if !queued[a.to] {
                        queued[a.to] = true;
                        queue.push_back(a.to);
                    }
                }
            }
        }
        let reach_max = dist
            .iter()
            .filter(|d| **d < INF)
            .copied()
            .max()
            .unwrap_or(0);
        dist.iter()
            .map(|&d| if d >= INF { reach_max } else { d })
            .collect()
    }

    fn dijkstra(&self, s: usize, potential: &[i64], dist: &mut [i64]) {
        dist.iter_mut().for_each(|d| *d = INF);
        dist[s] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0i64, s)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &id in &self.out[u] {
                let a = &self.arcs[id];
                if a.cap <= 0 {
                    continue;
                }
                let nd = d + self.reduced(u, id, potential).max(0);
                if nd < dist[a.to] {
                    dist[a.to] = nd;
                    heap.push(Reverse((nd, a.to)));
                }
            }
        }
    }

    fn levels(&self, s: usize, t: usize, potential: &[i64], level: &mut [u32]) -> bool {
        level.iter_mut().for_each(|l| *l = u32::MAX);
        level[s] = 0;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &id in &self.out[u] {
                let a = &self.arcs[id];
                if a.cap > 0 && level[a.to] == u32::MAX && self.reduced(u, id, potential) == 0 {
                    level[a.to] = level[u] + 1;
                    queue.push_back(a.to);
                }
            }
        }
        level[t] != u32::MAX
    }

    fn push(
        &mut self,
        u: usize,
        t: usize,
        limit: i64,
        potential: &[i64],
        level: &[u32],
        cursor: &mut [usize],
    ) -> i64 {
        if u == t {
            return limit;
        }
        while cursor[u] < self.out[u].len() {
            let id = self.out[u][cursor[u]];
            let (to, cap) = (self.arcs[id].to, self.arcs[id].cap);
            if cap > 0 && level[to] == level[u] + 1 && self.reduced(u, id, potential) == 0 {
                let pushed = self.push(to, t, limit.min(cap), potential, level, cursor);
                if pushed > 0 {
                    self.arcs[id].cap -= pushed;
                    self.arcs[id ^ 1].cap += pushed;
                    return pushed;
                }
            }
            cursor[u] += 1;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_only_profitable_paths() {
        // s -> a -> t costs -5, s -> b -> t costs +2: only the first is worth sending.
        let mut net = Network::new(4);
        let sa = net.add_arc(0, 1, 3, -2);
        net.add_arc(1, 3, 2, -3);
        let sb = net.add_arc(0, 2, 3, 1);
        net.add_arc(2, 3, 3, 1);
        assert_eq!(net.min_cost_flow(0, 3), -10);
        assert_eq!(net.flow(sa), 2);
        assert_eq!(net.flow(sb), 0);
    }

    #[test]
    fn reroutes_through_residual_arcs() {
        // A classic case where the greedy first path must be undone.
        let mut net = Network::new(4);
        net.add_arc(0, 1, 1, -1);
        net.add_arc(0, 2, 1, -1);
        net.add_arc(1, 3, 1, -10);
        net.add_arc(1, 2, 1, -20);
        net.add_arc(2, 3, 1, -10);
        assert_eq!(net.min_cost_flow(0, 3), -31);
    }
}
